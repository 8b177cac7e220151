"""Words citizens use around their problems, as data (Thai, Northern Thai, English, slips):
a type's word in another sense, greetings and "I want to report" words, words for trouble,
requests, counting words, thanks and polite particles. The words for the problems themselves
are in ``concepts``.
"""
from __future__ import annotations

import re


OTHER_SENSES = (
    # things named after a type's word: smoking, trains, lighters, torches, fireworks, car lights
    "ควันบุหรี่", "บุหรี่ไฟฟ้า", "ควันธูป", "ควันท่อไอเสีย", "รถไฟฟ้า", "รถไฟ", "ทางรถไฟ", "ไฟแช็ก", "ไฟแช็ค",
    "ไฟฉาย", "ไฟฉุกเฉิน", "ดอกไม้ไฟ", "ไฟเลี้ยว", "ไฟหน้ารถ", "ไฟท้าย", "ไฟแนนซ์", "ช็อตปลา", "ไฟฟ้าช็อตปลา",
    "ด้วยไฟฟ้า",  # a tool: ช็อตปลาด้วยไฟฟ้า
    # น้ำ that is no water supply: fuel, drinks, kindness, tears, voice
    "น้ำมัน", "น้ำใจ", "น้ำตา", "น้ำเสียง", "น้ำแข็ง", "น้ำเมา", "น้ำหวาน", "น้ำอัดลม",
    # ทาง as "the side of", ถนน as a market, ป่าช้า (a cemetery), หมาล่า (a spice), ลิงก์ (a link)
    "ทางราชการ", "ทางการ", "ทางอำเภอ", "ทางจังหวัด", "ทางโทรศัพท์", "ทางไลน์", "ทางบ้าน", "ทางเรา", "ทางนี้",
    "ถนนคนเดิน", "ป่าช้า", "หลุมศพ", "หมาล่า", "ลิงก์", "ลิงค์", "ลิ้งค์", "ลิ้งก์", "หมาก",
    # drowning is no flood, a weir no overflow, debts up to the head neither; exhaust is no haze,
    # a loud exhaust (รถท่อแตก, slang) no burst pipe
    "จมน้ำตาย", "เด็กจมน้ำ", "คนจมน้ำ", "เกือบจมน้ำ", "ฝายน้ำล้น", "หนี้ท่วม", "ท่วมหัว", "ควันรถ", "ควันดำ",
    "รถท่อแตก", "ท่อไอเสีย",
    # a rite named after a type's word: casting off one's bad luck (เผาขยะเคราะห์)
    "เผาขยะเคราะห์", "ทิ้งขยะเคราะห์", "ขยะเคราะห์",
    # flames that engulf (ไฟลุกท่วมคัน), a fire brigade (ลิง of เพลิง), an electric fence, plumbing
    "ใบไหม้",  # a crop's leaves scorched (by blight or a herbicide)
    "ลุกท่วม", "เพลิง", "รั้วไฟฟ้า", "ท่อน้ำทิ้ง", "ท่อส้วม", "ท่วมห้องน้ำ",
    # squid boats' lamps and their generators (เรือปั่นไฟตกหมึก: no power fault)
    "ปั่นไฟ", "ตกหมึก", "ไฟล่อ",
    # a craftsman (ช่าง reads as a tone slip for ช้าง)
    "ช่าง",
    # a team named after an animal
    "ช้างศึก",
)
"""Words that hold a type's word in another sense (``ควันบุหรี่`` is no haze, ``รถไฟ`` no
power): a type's word inside one of them is not read."""

WHERE_WORDS = ("ที่", "บน", "กลาง", "ริม", "ข้าง", "ตาม", "แถว", "ใกล้", "เต็ม", "ตรง")
PLACE_THINGS = ("ถนน", "ซอย", "สะพาน", "เสาไฟฟ้า", "เสาไฟ", "ถังขยะ", "กองขยะ")
"""``บนถนน``, ``กลางถนน``, ``ที่เสาไฟ``: the road or the pole only says where something happened
(a fight, racing, dogs, a bees' nest); its own trouble (``ถนนพัง``, ``หลุม``, a tree ``ขวางถนน``,
``เสาไฟเอียง``) is still read."""

WATERWAYS = ("คลองชลประทาน", "คลองส่งน้ำ", "คลอง", "ลำราง", "ลำเหมือง", "ลำห้วย", "ห้วย", "แม่น้ำ", "ลำน้ำ", "น้ำ")
"""``ข้ามคลอง``: a bridge over a canal is the bridge's trouble; the canal only says where it is."""

FROM_THINGS = ("ควัน", "ฝุ่น")
"""Smoke or dust "from" something (``ฝุ่นจากโรงโม่``): the source tells the type (``ควันจากการเผา``)."""

BURNING_WORDS = ("ไฟไหม้", "ไฟลามไหม้", "ลามไหม้", "ไหม้", "ไฟลุก")
"""Burning (``ไหม้ที่บ้าน`` too); ``เผา`` (to burn) takes what it burns right after it."""
BUILDINGS = ("บ้าน", "ครัว", "ห้อง", "ยุ้ง", "โรง", "โกดัง", "ร้าน", "ห้าง", "ตลาด", "รถ", "ศพ", "ปลั๊ก", "กระท่อม",
             "เถียงนา", "ตึก", "หอพัก", "เพิง")
"""A fire that burns a building, a car, a body (``ไฟไหม้บ้าน``, ``เผาศพ``, ``ปลั๊กพ่วงไหม้``) is no
forest fire nor open burning: what burns tells the type."""
SMOKE_SOURCES = ("ปิ้ง", "ปิ้งย่าง", "ย่างหมู", "ย่างไก่", "หมูกระทะ", "เตาถ่าน", "ทำกับข้าว", "ทำอาหาร", "ทอดปลา",
                 "ทอดไก่", "เมรุ", "ขยะเคราะห์", "ไหว้", "ธูป", "กงเต๊ก",
                 "โม่หิน", "โรงโม่", "เหมืองหิน", "ก่อสร้าง", "รถบรรทุกดิน", "โรงสี", "แกลบ", "บุหรี่", "ยาเส้น", "สูบยา", "ยาสูบ")
"""Smoke, dust and burning in a text that names cooking, a cremation, a rite, a quarry or a
building site, cigarettes (or a building on fire) are theirs, no haze (``ปิ้งปลาควันเข้าบ้าน``,
``เผากระดาษไหว้บรรพบุรุษ``, ``เครื่องโม่หินดัง ฝุ่นก็เยอะ``)."""
APPLIANCES = ("ของเล่น", "เด็กเล่น", "พัดลม", "หม้อหุงข้าว", "กาต้มน้ำ", "ตู้เย็น", "เครื่องซักผ้า", "ทีวี",
              "โทรทัศน์", "เตารีด", "ไดร์", "ที่ชาร์จ", "สายชาร์จ", "มือถือ", "ปลั๊ก", "ไมโครเวฟ", "แอร์",
              "เครื่องทำน้ำอุ่น")
SHOCK_WORDS = ("ช็อต", "ช๊อต", "ชอร์ต", "ไฟรั่ว", "ไฟดูด", "ดูด")
"""An appliance or a toy that shocks (``พัดลมช็อต``, ``หม้อหุงข้าวไฟรั่ว``), said in one typed
word: the thing's own fault, not the power supply."""
VICTIMS = ("คน", "เด็ก", "ลูก", "มือ", "วัว", "ควาย", "หมา", "แมว", "ไก่")
"""Who a shock hurt (``ไฟฟ้าช็อตคนงาน``, ``โดนไฟดูด``): an injury, not a fault of the supply
(a leak said of its own, ``ไฟรั่ว``, is still read)."""
FEE_WORDS = ("ค่าผ่าน", "ค่าข้าม", "ค่าทางด่วน")
"""A toll (``ค่าผ่านทางสะพาน``): the money is the matter, not the road or bridge it is for."""

CAUSE_WORDS = ("เพราะว่า", "เพราะ", "เนื่องจาก", "สาเหตุจาก", "เหตุเพราะ")
"""What comes after these is the cause: ``ยุงเยอะเพราะน้ำขัง`` reports mosquitoes, not a flood."""

NAMING_WORDS = ("ร้านค้า", "ร้านเหล้า", "ร้านอาหาร", "ร้าน", "ตรา", "ยี่ห้อ", "เบียร์", "บริษัท")
NAME_NOUNS = ("ช้าง", "หมา", "แมว", "งู", "ลิง", "ไฟ")
"""A shop or a brand named after an animal (``ร้านช้างทอง``, ``เบียร์ช้าง``) names no problem;
nor a guard against one (``รั้วกันช้าง``, ``กันงู``)."""
PERSON_TITLES = ("นางสาว", "น.ส.", "นาง", "นาย(?!ก|อำเภอ|ช่าง|จ้าง)", "ด.ช.", "ด.ญ.")
"""A person named in full: ``นายสมชาย ช้างเผือก`` (the surname is no elephant)."""


EMPTY_WORDS = (
    "สวัสดีครับ", "สวัสดีค่ะ", "สวัสดีคะ", "สวัสดีจ้า", "สวัสดี", "หวัดดี", "ดีครับ", "ดีค่ะ", "ดีจ้า",
    "ขอแจ้งเรื่อง", "ขอแจ้งปัญหา", "ขอร้องเรียน", "ร้องเรียน", "แจ้งเหตุ", "แจ้งเรื่อง", "แจ้งปัญหา", "แจ้ง",
    "ต้องการ", "อยาก", "ขอ", "เรื่อง", "ปัญหา", "หน่อย", "ด้วย", "ช่วยด้วย", "ครับ", "ค่ะ", "คะ", "จ้า", "จ้ะ", "นะ",
    "hello", "hi", "hey", "good morning", "please", "report", "a problem", "problem", "complaint", "i want to", "want to",
)
"""Greetings and "I want to report" words: a first text made only of these says nothing of
the problem (it is not kept as the description)."""

TROUBLE_WORDS = (
    "ไม่", "บ่", "เสีย", "พัง", "ชำรุด", "แตก", "หัก", "ล้ม", "รั่ว", "ขาด", "ดัง", "เหม็น", "รบกวน", "เดือดร้อน",
    "อันตราย", "ขโมย", "ลักลอบ", "หลอก", "โกง", "บุกรุก", "ทำร้าย", "ทะเลาะ", "ผิดกฎหมาย", "ยาเสพติด", "พนัน",
    "ระบาด", "ตาย", "หาย", "ค้าง", "ช้า", "แย่", "ลำบาก", "ช่วย", "ร้องเรียน", "เรียกเก็บ", "ทิ้ง",
    # troubles named by a noun alone: crime, drugs, vice, noise, pests
    "โจร", "ปล้น", "ลักทรัพย์", "ข่มขู่", "ฆ่า", "ยิงกัน", "แทงกัน", "ยาบ้า", "ยาไอซ์", "เฮโรอีน", "มิจฉาชีพ",
    "แก๊ง", "มั่วสุม", "เถื่อน", "หวย", "บ่อน", "ทุจริต", "คอรัปชั่น", "คอร์รัปชัน", "อุบัติเหตุ", "คาราโอเกะ",
    "เพลี้ย", "หนู", "ปลวก", "แมลง", "ศัตรูพืช",
    "broken", "noise", "not", "no ", "stolen", "danger", "help", "complain",
)
"""Words that say something is wrong: with one of them (or enough words), a text no listed type
fits still clearly reports a problem (and is named back as the catch-all)."""

REQUEST_WORDS = ("ขอ", "อยากได้", "อยากให้", "ต้องการ", "need", "want", "request")
"""A request (``ขอถังน้ำ``) asks for something: with one word more, it is a report too."""

QUANTITY_WORDS = (
    "วัน", "คืน", "ทุ่ม", "โมง", "ชั่วโมง", "ชม.", "นาที", "อาทิตย์", "สัปดาห์", "เดือน", "ปี", "ครั้ง", "รอบ",
    "คน", "ครอบครัว", "บาท", "ขวบ",
    "day", "days", "night", "nights", "week", "weeks", "month", "months", "year", "years", "times", "people",
)
"""Units and counting words: a number right before one (``3 วันแล้ว``, ``2 ทุ่ม``) counts
something in the citizen's words; it is not a menu number."""
QUANTITY = re.compile(rf"^\s*(?:{'|'.join(re.escape(word) for word in QUANTITY_WORDS)})(?![a-z])", re.IGNORECASE)


def counts_something(words: str) -> bool:
    """True when ``words`` (what follows a leading number) start with a unit or counting word."""
    return bool(QUANTITY.match(words))


THANKS_WORDS = (
    "ขอบคุณมาก", "ขอบคุณ", "ขอบใจ", "ขอบพระคุณ", "โอเค", "รับทราบ", "ทราบแล้ว", "เข้าใจแล้ว", "ได้เลย",
    "thank you", "thanks", "thx", "okay", "ok",
)
"""Thanks and "OK": a text made only of these (and particles) answers our last SMS, it does
not start a report."""


def only_thanks(text: str) -> bool:
    """True when ``text`` is nothing but thanks or "OK" (with polite particles)."""
    rest = text.lower()
    found = False
    for word in THANKS_WORDS:
        if word in rest:
            found, rest = True, rest.replace(word, " ")
    for word in sorted(POLITE_ENDINGS + ("มาก", "นะ", "จ้า", "ๆ"), key=len, reverse=True):
        rest = rest.replace(word, " ")
    return found and not re.sub(r"[\W_]", "", rest)


POLITE_ENDINGS = (
    "ครับผม", "นะครับ", "นะคะ", "ครับ", "คร้าบ", "คับ", "ค่ะ", "ค่า", "คะ", "จ้ะ", "จ้า", "จ๊ะ", "จ้าา", "ฮะ", "นะ", "เจ้า",
    "krub", "krab", "ka", "kha", "na", "please", "pls",
)
"""Polite particles (standard, Northern ``เจ้า``, romanised) people put after an answer: ``1 ค่ะ``,
``ใช่ครับ``."""


def without_particles(text: str) -> str:
    """``text`` without the polite particles at its end (``1 ค่ะ`` → ``1``, ``ใช่ครับ`` →
    ``ใช่``); a text that is only a particle is kept (``ค่ะ`` alone is a yes)."""
    rest = text.strip().rstrip(" .!") or text.strip()
    while True:
        lowered = rest.lower()
        ending = next((word for word in POLITE_ENDINGS if lowered.endswith(word) and len(lowered) > len(word)), None)
        if ending is None:
            return rest
        before = rest[: len(rest) - len(ending)]
        if ending.isascii() and before[-1:].isascii() and before[-1:].isalpha():
            return rest  # an English word that merely ends like one ("banana")
        rest = before.rstrip(" .!")
