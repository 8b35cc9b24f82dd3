"""Check-digit validators for Spanish identifiers (pure functions, no presidio)."""

from __future__ import annotations

import re

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_CIF_LETTERS = "JABCDEFGHI"
_SEPARATORS = re.compile(r"[\s.\-/]")


def compact(value: str) -> str:
    return _SEPARATORS.sub("", value).upper()


def dni_letter(number: int) -> str:
    return DNI_LETTERS[number % 23]


def valid_dni(value: str) -> bool:
    """DNI/NIF of a natural person: 8 digits and the letter of (number mod 23); K/L/M NIFs too."""
    v = compact(value)
    if re.fullmatch(r"\d{8}[A-Z]", v):
        return dni_letter(int(v[:8])) == v[8]
    if re.fullmatch(r"[KLM]\d{7}[A-Z]", v):
        return dni_letter(int(v[1:8])) == v[8]
    return False


def valid_nie(value: str) -> bool:
    """NIE: X/Y/Z (read as 0/1/2), 7 digits, and the DNI check letter."""
    v = compact(value)
    if not re.fullmatch(r"[XYZ]\d{7}[A-Z]", v):
        return False
    return dni_letter(int("XYZ".index(v[0]).__str__() + v[1:8])) == v[8]


def cif_control(body: str) -> tuple[str, str]:
    """The control digit and letter for the 7 digits of a CIF."""
    total = 0
    for i, ch in enumerate(body):
        n = int(ch)
        if i % 2 == 0:  # positions 1, 3, 5, 7: doubled, digits summed
            n *= 2
            n = n // 10 + n % 10
        total += n
    digit = (10 - total % 10) % 10
    return str(digit), _CIF_LETTERS[digit]


def valid_cif(value: str) -> bool:
    """CIF (NIF of a legal person): organisation letter, province and serial (7 digits), control."""
    v = compact(value)
    if not re.fullmatch(r"[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J]", v):
        return False
    digit, letter = cif_control(v[1:8])
    if v[0] in "PQRSNW":
        return v[8] == letter
    if v[0] in "ABEH":
        return v[8] == digit
    return v[8] in (digit, letter)


def nss_control(province: str, number: str) -> str:
    n = int(number)
    base = int(province) * 10**8 + n if n >= 10**7 else int(province) * 10**7 + n
    return f"{base % 97:02d}"


def valid_nss(value: str) -> bool:
    """Seguridad Social number: province (2) + serial (8, or 7) + check digits (mod 97)."""
    v = compact(value)
    if not re.fullmatch(r"\d{11,12}", v):
        return False
    province, number, control = v[:2], v[2:-2], v[-2:]
    if not 1 <= int(province) <= 53 and int(province) not in (66,):
        return False
    return nss_control(province, number) == control


def valid_iban(value: str) -> bool:
    """IBAN: ISO 13616 mod-97 == 1; Spanish IBANs must have 24 characters."""
    v = compact(value)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", v):
        return False
    if v.startswith("ES") and len(v) != 24:
        return False
    digits = "".join(str(int(ch, 36)) for ch in v[4:] + v[:4])
    return int(digits) % 97 == 1


def valid_spanish_phone(value: str) -> bool:
    """Nine digits (optionally after +34/0034) starting with 6 or 7 (mobile) or 8 or 9 (landline)."""
    v = re.sub(r"[\s.\-()]", "", value)
    v = re.sub(r"^(\+34|0034)", "", v)
    return bool(re.fullmatch(r"[6-9]\d{8}", v)) and not v.startswith(("900000", "999999"))


def valid_postal_code(value: str) -> bool:
    """Five digits whose first two are a province code (01-52)."""
    v = value.strip()
    return bool(re.fullmatch(r"\d{5}", v)) and 1 <= int(v[:2]) <= 52


def valid_colegiado(value: str) -> bool:
    """Colegiado number (OMC style): province (01-52) + college/profession + serial, 9 digits."""
    v = compact(value)
    return bool(re.fullmatch(r"\d{9}", v)) and 1 <= int(v[:2]) <= 52


_PLATE_LETTERS = "BCDFGHJKLMNPRSTVWXYZ"


def valid_plate(value: str) -> bool:
    """Current plates (1234 BCD: no vowels, Ñ or Q) or provincial ones (M-1234-AB, B 1234 XY)."""
    v = compact(value)
    if re.fullmatch(r"\d{4}[A-Z]{3}", v):
        return all(ch in _PLATE_LETTERS for ch in v[4:])
    return bool(re.fullmatch(r"[A-Z]{1,2}\d{4}[A-Z]{1,2}", v))


def valid_date(day: int, month: int, year: int | None = None) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    if year is not None and month == 2 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        days = 28
    return day <= days
