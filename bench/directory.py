"""A generated directory of a few thousand villages in the contract's CSV format, and the
answer key the benchmarks check against: which staff phones must hear of a (type, village)."""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

PROVINCE = "52"
REQUIRED_COLUMNS = {"categories": 3, "agencies": 3}
"""Files with optional columns → how many columns are required."""
MOO_PER_SUBDISTRICT = 20
SUBDISTRICTS_PER_DISTRICT = 10

CATEGORIES = [  # code, Thai, English, Thai keywords; menu order = type number - 1
    ("road", "ถนน", "Roads", "ถนน;หลุม;ทางชำรุด"),
    ("water", "ประปา", "Water supply", "ประปา;น้ำไม่ไหล"),
    ("power", "ไฟฟ้า", "Electricity", "ไฟฟ้า;ไฟดับ;เสาไฟ"),
    ("garbage", "ขยะ", "Garbage", "ขยะ;กลิ่นเหม็น"),
    ("flood", "น้ำท่วม", "Flooding", "น้ำท่วม;น้ำป่า"),
    ("drought", "ภัยแล้ง", "Drought", "ภัยแล้ง;แล้ง"),
    ("fire", "ไฟป่า/หมอกควัน", "Forest fire and haze", "ไฟป่า;หมอกควัน;ฝุ่น"),
    ("animals", "สัตว์จรจัด", "Stray animals", "หมาจรจัด;สุนัข;ช้างป่า"),
    ("health", "สาธารณสุข", "Public health", "ยุง;ไข้เลือดออก"),
    ("other", "อื่นๆ", "Other", ""),
]
PROVINCIAL = {  # category → province-wide agency (code, Thai, English, Thai short name)
    "water": ("pwa", "การประปาส่วนภูมิภาคสาขาทดสอบ", "Provincial Waterworks (test)", "กปภ.ทดสอบ"),
    "power": ("pea", "การไฟฟ้าส่วนภูมิภาคจังหวัดทดสอบ", "Provincial Electricity (test)", "กฟภ.ทดสอบ"),
    "flood": ("ddpm", "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดทดสอบ", "Disaster Prevention (test)", "ปภ.ทดสอบ"),
    "drought": ("ddpm", "", "", ""),
    "fire": ("nre", "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดทดสอบ", "Natural Resources (test)", "ทสจ.ทดสอบ"),
    "animals": ("livestock", "สำนักงานปศุสัตว์จังหวัดทดสอบ", "Livestock Office (test)", "ปศจ.ทดสอบ"),
    "health": ("ppho", "สำนักงานสาธารณสุขจังหวัดทดสอบ", "Public Health Office (test)", "สสจ.ทดสอบ"),
}
HIGHWAY = ("highway", "แขวงทางหลวงจังหวัดทดสอบ", "Highway District (test)", "ขทล.ทดสอบ")
FRONT = ["หนอง", "ดอน", "ป่า", "ห้วย", "แม่", "ทุ่ง", "สัน", "เวียง", "ศรี", "บ่อ", "นา", "โป่ง"]
BACK = ["บัว", "แก้ว", "ซาง", "ทราย", "ยาง", "ตึง", "หลวง", "ใหม่", "กลาง", "งาม", "ทอง", "เงิน", "คำ"]
FRONT_EN = ["Nong", "Don", "Pa", "Huai", "Mae", "Thung", "San", "Wiang", "Si", "Bo", "Na", "Pong"]
BACK_EN = ["Bua", "Kaeo", "Sang", "Sai", "Yang", "Tueng", "Luang", "Mai", "Klang", "Ngam", "Thong", "Ngoen", "Kham"]


SIDES = [("", ""), ("เหนือ", " Nuea"), ("ใต้", " Tai"), ("ตะวันออก", " Tawan Ok"), ("ตะวันตก", " Tawan Tok")]
"""Added to a name that is already taken, as real places do (a province has no two
subdistricts, nor two districts, of the same name)."""


def _name(index: int) -> tuple[str, str]:
    front, back = index % len(FRONT), (index // len(FRONT)) % len(BACK)
    side_th, side_en = SIDES[(index // (len(FRONT) * len(BACK))) % len(SIDES)]
    return FRONT[front] + BACK[back] + side_th, f"{FRONT_EN[front]} {BACK_EN[back]}{side_en}"


@dataclass
class Directory:
    folder: Path
    villages: list[str]  # village codes
    rules: dict[tuple[str, str], str] = field(default_factory=dict)  # (category, area) → agency
    staff: dict[str, list[str]] = field(default_factory=dict)  # agency → E.164 phones

    @property
    def capacity(self) -> int:
        """How many distinct (type, village) reports there are."""
        return len(CATEGORIES) * len(self.villages)

    def report(self, index: int) -> tuple[int, str]:
        """The ``index``-th (type number, village code): all distinct up to ``capacity``."""
        village = self.villages[index % len(self.villages)]
        return (index // len(self.villages)) % len(CATEGORIES) + 1, village

    def staff_for(self, type_number: int, village: str) -> list[str]:
        """The phones that must get the new-case SMS: the most specific rule wins."""
        category = CATEGORIES[type_number - 1][0]
        for area in (village, village[:6], village[:4], "*"):
            agency = self.rules.get((category, area))
            if agency:
                return self.staff[agency]
        return self.staff["province"]


def generate(folder: Path, villages: int, optional: bool = True) -> Directory:
    """Write the eight CSV files for ``villages`` villages into ``folder`` (with the
    optional columns: keywords, short names, unless ``optional`` is False)."""
    folder.mkdir(parents=True, exist_ok=True)
    subdistrict_count = math.ceil(villages / MOO_PER_SUBDISTRICT)
    district_count = math.ceil(subdistrict_count / SUBDISTRICTS_PER_DISTRICT)
    if district_count > 99:
        raise ValueError("at most 99 districts × 10 subdistricts × 20 villages")
    districts = [f"{PROVINCE}{d + 1:02d}" for d in range(district_count)]
    subdistricts = [f"{district}{s + 1:02d}" for district in districts for s in range(SUBDISTRICTS_PER_DISTRICT)]
    subdistricts = subdistricts[:subdistrict_count]
    codes = [f"{sub}{moo:02d}" for sub in subdistricts for moo in range(1, MOO_PER_SUBDISTRICT + 1)][:villages]
    directory = Directory(folder, codes)

    agencies = [("province", "ศูนย์ดำรงธรรมจังหวัดทดสอบ", "Damrongdhama Centre (test)", "ศูนย์ดำรงธรรม"), HIGHWAY]
    agencies += list({row[0]: row for row in PROVINCIAL.values() if row[1]}.values())
    for number, district in enumerate(districts):
        th, en = _name(number)
        agencies.append((f"lao{district}", f"เทศบาลตำบล{th}", f"{en} Subdistrict Municipality", f"ทต.{th}"))
    for category, *_ in CATEGORIES:
        if category in PROVINCIAL:
            directory.rules[(category, "*")] = PROVINCIAL[category][0]
    for district in districts:  # roads, garbage, other: the district's local administration
        for category in ("road", "garbage", "other"):
            directory.rules[(category, district)] = f"lao{district}"
    for number, sub in enumerate(subdistricts):  # more specific rules must win
        if number % 5 == 0:
            directory.rules[("road", sub)] = HIGHWAY[0]
    for number, village in enumerate(codes):
        if number % 97 == 0:
            directory.rules[("garbage", village)] = "province"
    for number, (code, *_) in enumerate(agencies):
        directory.staff[code] = [f"+6680{100000 + 2 * number + k:07d}" for k in (0, 1)]

    def write(name: str, header: list[str], rows) -> None:
        width = len(header) if optional else REQUIRED_COLUMNS.get(name, len(header))
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(header[:width])
            writer.writerows(row[:width] for row in rows)

    write("districts", ["code", "name_th", "name_en"], [(d, *_name(n + 40)) for n, d in enumerate(districts)])
    write("subdistricts", ["code", "district_code", "name_th", "name_en"],
          [(s, s[:4], *_name(n + 7)) for n, s in enumerate(subdistricts)])
    write("villages", ["code", "subdistrict_code", "moo", "name_th", "name_en"],
          [(v, v[:6], int(v[6:]), f"บ้าน{_name(n)[0]}", f"Ban {_name(n)[1]}") for n, v in enumerate(codes)])
    write("categories", ["code", "name_th", "name_en", "keywords_th", "keywords_en"],
          [(code, th, en, keywords, "") for code, th, en, keywords in CATEGORIES])
    write("agencies", ["code", "name_th", "name_en", "short_name_th", "short_name_en"],
          [(code, th, en, short, code.upper()) for code, th, en, short in agencies])
    write("routing", ["category_code", "area_code", "agency_code"],
          [(category, area, agency) for (category, area), agency in directory.rules.items()])
    write("staff", ["phone", "agency_code", "name", "role"],
          [(phone, agency, f"Staff {phone[-4:]}", "officer" if k == 0 else "head")
           for agency, phones in directory.staff.items() for k, phone in enumerate(phones)])
    write("village_heads", ["phone", "village_code", "name"],
          [(f"+6680{500000 + n:07d}", f"{sub}01", f"Head {n}") for n, sub in enumerate(subdistricts)])
    return directory
