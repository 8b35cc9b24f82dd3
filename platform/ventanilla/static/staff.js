/* Shared helpers of the clinician and internal pages: the key lives in sessionStorage only. */
"use strict";
const keyInput = document.getElementById("key");
keyInput.value = sessionStorage.getItem("ventanilla-key") || "";
keyInput.addEventListener("change", () => sessionStorage.setItem("ventanilla-key", keyInput.value.trim()));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

async function post(path, body) {
  const r = await fetch(path, {
    method: "POST",
    headers: { Authorization: `Bearer ${keyInput.value.trim()}`, "Content-Type": "application/json",
               "Accept-Language": document.documentElement.lang },
    body: JSON.stringify(body),
  });
  const data = await r.json();
  if (!r.ok) throw new Error(typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail));
  return data;
}

function sourceBlock(src, full) {
  const head = el("p", { style: "margin:0" });
  const label = [src.norm_title || src.norm, src.article || src.title].filter(Boolean).join(" — ");
  head.append(el("strong", {}, `[${src.n}] `));
  if (src.url) head.append(el("a", { href: src.url, target: "_blank", rel: "noopener noreferrer" }, label));
  else head.append(label);
  head.append(" ", el("span", { class: `badge ${src.access}` }, src.access || ""));
  const box = el("div", { class: "source" }, head);
  if (full && src.text) box.append(el("pre", {}, src.text));
  return box;
}
