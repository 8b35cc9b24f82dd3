/* Ventanilla citizen chat widget (issue 8; docs/channels.md).
 *
 * Embed with one tag:
 *   <script src="https://API/widget/ventanilla-widget.js" data-key="vk_…" data-domain="tax" defer></script>
 * It defines <ventanilla-chat> (shadow DOM: the host page's styles never leak in or out) and appends
 * one to the page. Attributes: data-key (a widget key bound to this page's origin), data-domain,
 * data-lang (default: the page's <html lang>, then the browser's), data-api (default: the script's origin).
 * All texts come from the API (GET /v1/widget/config), localized by the platform's catalogues.
 */
(() => {
  "use strict";
  const LANGS = ["es", "ca", "eu", "gl", "en"];
  const NAMES = { es: "Español", ca: "Català", eu: "Euskara", gl: "Galego", en: "English" };
  const script = document.currentScript;

  function pickLang(wanted) {
    const candidates = [wanted, document.documentElement.lang, ...(navigator.languages || []), navigator.language];
    for (const c of candidates) {
      const code = String(c || "").toLowerCase().slice(0, 2);
      if (LANGS.includes(code)) return code;
    }
    return "es";
  }

  const CSS = `
    :host { all: initial; position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483000;
      font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; }
    *, *::before, *::after { box-sizing: border-box; }
    [hidden] { display: none !important; }
    button, select, textarea, input { font: inherit; }
    :focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
    .bubble { background: #0b4f8a; color: #fff; border: 0; border-radius: 2rem; padding: .75rem 1.25rem;
      cursor: pointer; box-shadow: 0 2px 8px rgba(0,0,0,.3); }
    .panel { width: min(24rem, calc(100vw - 2rem)); max-height: min(40rem, calc(100vh - 5rem)); display: flex;
      flex-direction: column; background: #fff; border: 1px solid #5c5c5c; border-radius: .5rem;
      box-shadow: 0 4px 16px rgba(0,0,0,.3); margin-bottom: .5rem; overflow: hidden; }
    header { display: flex; align-items: center; gap: .5rem; background: #0b4f8a; color: #fff; padding: .5rem .75rem; }
    header h2 { font-size: 1rem; margin: 0; flex: 1; }
    header select { background: #fff; color: #1a1a1a; border: 1px solid #fff; border-radius: .25rem; }
    header label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    .close { background: transparent; color: #fff; border: 1px solid #fff; border-radius: .25rem; cursor: pointer; }
    .disclosure { padding: .75rem; background: #fff8e1; border-bottom: 1px solid #5c5c5c; }
    .disclosure p { margin: 0 0 .5rem; }
    .log { flex: 1; overflow-y: auto; padding: .75rem; display: flex; flex-direction: column; gap: .75rem; }
    .msg { border-radius: .5rem; padding: .5rem .75rem; white-space: pre-wrap; overflow-wrap: anywhere; }
    .user { background: #e8f0f8; align-self: flex-end; }
    .bot { background: #f3f3f3; }
    .sources { margin: .5rem 0 0; padding-left: 1.25rem; font-size: .9rem; }
    .sources a, .contact a { color: #0b4f8a; }
    .feedback { display: flex; flex-wrap: wrap; gap: .25rem; margin-top: .5rem; align-items: center; }
    .feedback textarea { width: 100%; min-height: 2.5rem; }
    .thumb[aria-pressed="true"] { background: #0b4f8a; color: #fff; }
    .btn, .thumb { background: #fff; color: #0b4f8a; border: 1px solid #0b4f8a; border-radius: .25rem;
      padding: .25rem .6rem; cursor: pointer; }
    .primary { background: #0b4f8a; color: #fff; border: 1px solid #0b4f8a; border-radius: .25rem;
      padding: .4rem .8rem; cursor: pointer; }
    form { display: flex; gap: .5rem; padding: .75rem; border-top: 1px solid #5c5c5c; }
    form textarea { flex: 1; min-height: 2.75rem; resize: vertical; border: 1px solid #5c5c5c; border-radius: .25rem; }
    form label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    .status { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    .error { color: #a30000; }
  `;

  class VentanillaChat extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      this.api = (this.getAttribute("api") || "").replace(/\/$/, "");
      this.key = this.getAttribute("key") || "";
      this.domain = this.getAttribute("domain") || "all";
      this.lang = pickLang(this.getAttribute("lang"));
      this.accepted = false;
      const root = this.attachShadow({ mode: "open" });
      root.innerHTML = `<style>${CSS}</style>
        <section class="panel" role="dialog" aria-modal="false" aria-labelledby="vt-title" hidden>
          <header>
            <h2 id="vt-title"></h2>
            <label for="vt-lang"></label>
            <select id="vt-lang">${LANGS.map((l) => `<option value="${l}" lang="${l}">${NAMES[l]}</option>`).join("")}</select>
            <button type="button" class="close" aria-label="">✕</button>
          </header>
          <div class="disclosure" id="vt-disclosure">
            <p id="vt-disclosure-text"></p>
            <button type="button" class="primary" id="vt-accept"></button>
          </div>
          <div class="log" role="log" aria-live="polite" aria-relevant="additions text" tabindex="0"></div>
          <div class="status" role="status" aria-live="polite"></div>
          <form hidden>
            <label for="vt-q"></label>
            <textarea id="vt-q" required maxlength="2000"></textarea>
            <button type="submit" class="primary" id="vt-send"></button>
          </form>
        </section>
        <button type="button" class="bubble" aria-expanded="false"></button>`;
      this.$ = (sel) => root.querySelector(sel);
      this.$(".bubble").addEventListener("click", () => this.toggle());
      this.$(".close").addEventListener("click", () => this.toggle(false));
      this.$("#vt-accept").addEventListener("click", () => this.accept());
      this.$("#vt-lang").addEventListener("change", (e) => this.load(e.target.value));
      this.$("form").addEventListener("submit", (e) => { e.preventDefault(); this.ask(); });
      this.$("#vt-q").addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); this.ask(); }
      });
      root.addEventListener("keydown", (e) => { if (e.key === "Escape") this.toggle(false); });
      this.load(this.lang);
    }

    headers(json) {
      const h = { Authorization: `Bearer ${this.key}`, "Accept-Language": this.lang };
      if (json) h["Content-Type"] = "application/json";
      return h;
    }

    async load(lang) {
      this.lang = lang;
      this.$("#vt-lang").value = lang;
      const url = `${this.api}/v1/widget/config?domain=${encodeURIComponent(this.domain)}&lang=${lang}`;
      try {
        const r = await fetch(url, { headers: this.headers(false) });
        if (!r.ok) throw new Error((await r.json()).detail || r.status);
        this.config = await r.json();
      } catch (err) {
        this.config = this.config || { strings: {}, ai_disclosure: "" };
        this.announce(String(err.message || err));
      }
      const s = this.config.strings;
      this.$("#vt-title").textContent = s.title;
      this.$("label[for=vt-lang]").textContent = s.language;
      this.$(".close").setAttribute("aria-label", s.close);
      this.$("#vt-disclosure-text").textContent = this.config.ai_disclosure;
      this.$("#vt-accept").textContent = s.accept;
      this.$("label[for=vt-q]").textContent = s.question;
      this.$("#vt-q").setAttribute("placeholder", s.question);
      this.$("#vt-send").textContent = s.send;
      this.$(".bubble").textContent = s.title;
      this.$(".bubble").setAttribute("aria-label", this.$(".panel").hidden ? s.open : s.close);
      this.setAttribute("data-ready", lang);
    }

    toggle(open) {
      const panel = this.$(".panel");
      const show = open === undefined ? panel.hidden : open;
      panel.hidden = !show;
      const bubble = this.$(".bubble");
      bubble.setAttribute("aria-expanded", String(show));
      bubble.setAttribute("aria-label", show ? this.config.strings.close : this.config.strings.open);
      if (show) (this.accepted ? this.$("#vt-q") : this.$("#vt-accept")).focus();
      else bubble.focus();
    }

    accept() {
      this.accepted = true;
      this.$("#vt-disclosure").hidden = true;
      this.$("form").hidden = false;
      this.$("#vt-q").focus();
    }

    announce(text) { this.$(".status").textContent = text; }

    bubbleMsg(cls, text) {
      const div = document.createElement("div");
      div.className = `msg ${cls}`;
      if (text) div.textContent = text;
      this.$(".log").append(div);
      div.scrollIntoView({ block: "end" });
      return div;
    }

    async ask() {
      const box = this.$("#vt-q");
      const question = box.value.trim();
      if (!question || !this.accepted || this.busy) return;
      this.busy = true;
      box.value = "";
      this.bubbleMsg("user", question);
      const answer = this.bubbleMsg("bot");
      const text = document.createElement("p");
      text.style.margin = "0";
      answer.append(text);
      this.announce(this.config.strings.thinking);
      let final = null;
      try {
        const r = await fetch(`${this.api}/v1/ask`, {
          method: "POST", headers: this.headers(true),
          body: JSON.stringify({ question, domain: this.domain, lang: this.lang, stream: true }),
        });
        if (!r.ok || !r.body) throw new Error((await r.json().catch(() => ({}))).detail || this.config.strings.error);
        const reader = r.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let kind = "message"; let data = "";
            for (const line of block.split("\n")) {
              if (line.startsWith("event:")) kind = line.slice(6).trim();
              else if (line.startsWith("data:")) data += line.slice(5).trim();
            }
            const payload = data ? JSON.parse(data) : null;
            if (kind === "token") text.textContent += payload.text;
            else if (kind === "final") final = payload;
            else if (kind === "error") throw new Error(payload.detail);
          }
        }
        if (final) this.finish(answer, text, final);
      } catch (err) {
        text.textContent = String(err.message || err);
        text.className = "error";
      } finally {
        this.busy = false;
        this.announce("");
        answer.setAttribute("data-done", final ? final.mode : "error");
      }
    }

    finish(answer, text, final) {
      const s = this.config.strings;
      text.textContent = final.answer;
      const cited = new Set(final.citations || []);
      const shown = (final.sources || []).filter((src) => cited.size === 0 || cited.has(src.id));
      if (shown.length) {
        const heading = document.createElement("p");
        heading.style.margin = ".5rem 0 0";
        heading.style.fontWeight = "bold";
        heading.textContent = s.sources;
        const list = document.createElement("ol");
        list.className = "sources";
        for (const src of shown) {
          const item = document.createElement("li");
          const label = [src.norm_title || src.norm, src.article || src.title].filter(Boolean).join(" — ");
          if (src.url) {
            const link = document.createElement("a");
            link.href = src.url; link.target = "_blank"; link.rel = "noopener noreferrer";
            link.textContent = label;
            item.append(link);
          } else item.textContent = label;
          list.append(item);
        }
        answer.append(heading, list);
      }
      if (final.mode === "abstained" && this.config.contact) {
        const c = this.config.contact;
        const p = document.createElement("p");
        p.className = "contact";
        p.textContent = `${s.contact} `;
        const link = document.createElement("a");
        link.href = c.url || `tel:${c.phone}`; link.target = "_blank"; link.rel = "noopener noreferrer";
        link.textContent = c.text || c.url;
        p.append(link);
        answer.append(p);
      }
      const disclosure = document.createElement("p");
      disclosure.style.cssText = "margin:.5rem 0 0;font-size:.85rem";
      disclosure.textContent = final.ai_disclosure;
      answer.append(disclosure);
      if (final.audit_id) answer.append(this.feedback(final.audit_id));
    }

    feedback(auditId) {
      const s = this.config.strings;
      const box = document.createElement("div");
      box.className = "feedback";
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", s.send_feedback);
      let rating = 0;
      const thumbs = [[5, "👍", s.helpful], [1, "👎", s.not_helpful]].map(([value, icon, label]) => {
        const b = document.createElement("button");
        b.type = "button"; b.className = "thumb"; b.textContent = icon;
        b.setAttribute("aria-label", label); b.setAttribute("aria-pressed", "false");
        b.addEventListener("click", () => {
          rating = value;
          thumbs.forEach((t) => t.setAttribute("aria-pressed", String(t === b)));
          send.disabled = false;
        });
        return b;
      });
      const id = `vt-c-${auditId}`;
      const label = document.createElement("label");
      label.htmlFor = id; label.textContent = s.comment;
      label.style.cssText = "width:100%;font-size:.9rem";
      const comment = document.createElement("textarea");
      comment.id = id; comment.maxLength = 2000;
      const send = document.createElement("button");
      send.type = "button"; send.className = "btn"; send.textContent = s.send_feedback; send.disabled = true;
      send.addEventListener("click", async () => {
        const body = { audit_id: auditId, rating, lang: this.lang };
        if (comment.value.trim()) body.comment = comment.value.trim();
        try {
          const r = await fetch(`${this.api}/v1/feedback`, {
            method: "POST", headers: this.headers(true), body: JSON.stringify(body),
          });
          const reply = await r.json();
          box.textContent = r.ok ? reply.message : reply.detail;
        } catch (err) {
          box.textContent = s.error;
        }
        box.setAttribute("data-sent", "true");
        this.announce(box.textContent);
      });
      box.append(...thumbs, label, comment, send);
      return box;
    }
  }

  if (!customElements.get("ventanilla-chat")) customElements.define("ventanilla-chat", VentanillaChat);
  if (script && script.dataset.key) {
    const el = document.createElement("ventanilla-chat");
    el.setAttribute("key", script.dataset.key);
    el.setAttribute("domain", script.dataset.domain || "all");
    if (script.dataset.lang) el.setAttribute("lang", script.dataset.lang);
    el.setAttribute("api", script.dataset.api || new URL(script.src).origin);
    const mount = () => document.body.append(el);
    if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
  }
})();
