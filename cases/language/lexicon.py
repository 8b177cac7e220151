"""Words citizens use for common problems, as data (Thai, Northern Thai, English, slips).

A directory's categories are its own; these concepts attach to them by ``anchors``: a concept
belongs to the first category whose code, names or keywords contain one of its anchors
(``fallback`` anchors are tried when none does); a problem of its own kind that the directory
has no type for (a stray dog where there is no animals type, noise, drugs, a missing
allowance) belongs to its catch-all, so that the citizen is offered "other" at once. A category also gets its own names, the
parts of its names and its ``keywords_th``/``keywords_en`` (categories.csv) as words.
Words are matched in the text with the place names taken out; the longer a word, the more
it counts, so ``น้ำท่วมถนน`` reads as a flood, not a road.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    name: str
    anchors: tuple[str, ...]
    words: tuple[str, ...]
    fallback: tuple[str, ...] = ()
    own_kind: bool = True  # without a category of its own, the catch-all's (not so: a drain, a landslide)


CONCEPTS = (
    Concept("road", ("ถนน", "road", "สะพาน", "bridge"), (
        "ถนน", "ถนนพัง", "ถนนชำรุด", "ถนนเป็นหลุม", "ถนนทรุด", "ถนนขาด", "ถนนแตก", "ถนนลูกรัง", "ถนนเสีย",
        "หลุมบ่อ", "เป็นหลุม", "หลุมใหญ่", "ทางขาด", "ทางพัง", "ทางชำรุด", "ทางเป็นหลุม",
        "สะพาน", "สะพานพัง", "สะพานขาด", "คอสะพาน", "ขัว", "ขัวพัง", "ขัวขาด", "ฟุตบาท", "ผิวทาง", "ลาดยาง",
        "ถนล", "ถหนน", "ทนน", "สพาน", "สะพาร",
        "road", "roads", "pothole", "potholes", "bridge", "street",
        # effects and other words for it: can't pass, rough, sunk; Northern ขุม (a hole); loan words
        "หลุม", "ขุม", "เป็นขุม", "หนทาง", "ผ่านไม่ได้", "ผ่านบ่ได้", "สัญจรไม่ได้", "สัญจรบ่ได้", "ไปมาไม่ได้",
        "ข้ามไม่ได้", "ข้ามบ่ได้", "เป็นรู", "เป๋นฮู", "เป็นฮู", "ขรุขระ", "ถนนยุบ", "ทางยุบ", "ยุบตัว", "ทรุดตัว", "ติดหล่ม", "หล่ม", "ท่อลอด",
        "ทางเท้า", "ทางเดินเท้า", "คอนกรีตแตก", "ลาดยางหลุด", "ทางลาดยาง", "ถนนดิน", "ถนนคอนกรีต", "ร่องถนน",
        "สะพานไม้", "สะพานผุ", "สะพานหัก", "สะพานทรุด", "ราวสะพาน", "roadside", "road broken", "broken road",
    ), fallback=("คมนาคม", "โยธา", "โครงสร้างพื้นฐาน", "infrastructure", "transport")),
    Concept("water", ("ประปา", "water supply", "tap water", "น้ำอุปโภค"), (
        "ประปา", "น้ำประปา", "น้ำไม่ไหล", "น้ำบ่ไหล", "น้ำบ่มา", "น้ำไม่มา", "น้ำไหลอ่อน", "น้ำไหลซึม", "น้ำขุ่น",
        "น้ำประปาขุ่น", "ท่อแตก", "ท่อประปา", "ท่อน้ำแตก", "ท่อรั่ว", "ท่อน้ำรั่ว", "มิเตอร์น้ำ", "มาตรน้ำ", "ประปาหมู่บ้าน",
        "ปะปา", "ประปร", "ประปาา", "ปรปา", "ประป่า",
        "tap water", "water pipe", "no water", "water supply", "pipe burst", "burst pipe",
        # effects: nothing from the tap, a trickle; the tank, the pump; Northern บ่
        "ไม่ไหล", "บ่ไหล", "น้ำไม่ออก", "น้ำบ่ออก", "ไม่มีน้ำใช้", "บ่มีน้ำใช้", "ไม่มีน้ำประปา", "น้ำไม่พอใช้",
        "ก๊อก", "ก็อก", "ก๊อกน้ำ", "น้ำก๊อก", "ก๊อกแห้ง", "ไหลริน", "ไหลเบา", "ไหลอ่อน", "ไหลไม่แรง", "ท่อเมน",
        "ท่อน้ำ", "หอถัง", "ถังประปา", "หอประปา", "ปั๊มน้ำ", "ปั๊มประปา", "คลอรีน", "น้ำมีตะกอน", "น้ำเป็นสนิม",
        "tap", "taps", "water not running", "no running water",
    ), fallback=("ระบบน้ำ", "น้ำใช้", "น้ำดื่ม", "water")),
    Concept("power", ("ไฟฟ้า", "electric", "power", "ไฟทาง", "ไฟส่องสว่าง", "street light"), (
        "ไฟฟ้า", "ไฟดับ", "ไฟตก", "ไฟบ่มา", "ไฟไม่มา", "ไฟไม่ติด", "ไฟบ่ติด", "เสาไฟ", "เสาไฟฟ้า", "สายไฟ", "สายไฟขาด",
        "สายไฟฟ้า", "หม้อแปลง", "ไฟกิ่ง", "ไฟถนน", "ไฟทาง", "ไฟส่องสว่าง", "ไฟกระพริบ", "ไฟช็อต", "ไฟรั่ว", "ไฟฟ้าดับ",
        "ไฟฟา", "ไฟฟ่า", "ไฟดัป", "หม้อแปรง", "ไฟฟ้าาดับ",
        "power", "power cut", "blackout", "electricity", "streetlight", "street light", "transformer",
        # effects: no light, dark; short circuits (loan word ช็อต); Northern บ่
        "ไม่มีไฟ", "บ่มีไฟ", "ไม่มีไฟฟ้า", "ไฟไม่สว่าง", "ไฟบ่สว่าง", "มืดทั้ง", "มืดมาก", "มืดตึ้บ", "มืดสนิท",
        "ไฟดับๆ", "ดับๆติดๆ", "ติดๆดับๆ", "ไฟติดๆดับๆ", "ช็อต", "ช๊อต", "ชอร์ต", "ประกายไฟ", "ไฟทางดับ", "ไฟถนนดับ",
        "ไฟกิ่งดับ", "ไฟถนนเสีย", "ไฟทางเสีย", "ไฟกิ่งเสีย", "ไฟถนนไม่ติด", "ไฟสาธารณะ", "ไฟทางสาธารณะ", "เบรกเกอร์", "มิเตอร์ไฟ", "ตู้ไฟ", "เสาไฟเอียง", "สายไฟห้อย", "สายไฟขาด",
        "power out", "power outage", "no power", "no electricity", "lights out", "no light", "outage",
    ), fallback=("แสงสว่าง", "lighting")),
    Concept("garbage", ("ขยะ", "มูลฝอย", "garbage", "waste", "rubbish"), (
        "ขยะ", "ขี้เยื่อ", "ขี้เยื้อ", "กองขยะ", "รถขยะ", "ถังขยะ", "เก็บขยะ", "ขยะเหม็น", "ขยะล้น", "ทิ้งขยะ",
        "ขะยะ", "ขยา", "ขบะ",
        "garbage", "rubbish", "trash", "waste",
        # North-eastern ขี้เหยื้อ; dumping
        "ขี้เหยื้อ", "ขี้เหยื่อ", "ขี้เหยือ", "ถุงขยะ", "บ่อขยะ", "ลักลอบทิ้ง", "ทิ้งขยะ", "เก็บขยะ", "ขยะเน่า",
        "garbage not collected", "litter",
    ), fallback=("สิ่งแวดล้อม", "ความสะอาด", "environment", "sanitation")),
    Concept("flood", ("น้ำท่วม", "อุทกภัย", "flood"), (
        "น้ำท่วม", "ท่วม", "น้ำหลาก", "น้ำป่า", "น้ำป่าไหลหลาก", "น้ำล้นตลิ่ง", "น้ำเอ่อ", "น้ำขัง", "น้ำท่วมขัง",
        "ตลิ่งพัง", "น้ำท้วม", "น้ำทวม", "น้ำท่วท",
        "flood", "flooded", "flooding",
        # effects: water into the house, rising, the fields under water
        "น้ำเข้าบ้าน", "น้ำเข้าไร่", "น้ำเข้านา", "น้ำเข้าสวน", "น้ำนอง", "น้ำขึ้นสูง", "น้ำล้น", "ล้นตลิ่ง", "ท่วมทุ่ง", "ท่วมนา", "จมน้ำ", "ข้าวจม", "น้ำหนุน",
        "floods", "flash flood",
    ), fallback=("สาธารณภัย", "ภัยพิบัติ", "disaster")),
    Concept("landslide", ("ดินถล่ม", "ดินสไลด์", "ดินโคลน", "landslide", "mudslide"), (
        "ดินถล่ม", "ดินสไลด์", "สไลด์", "แลนด์สไลด์", "ดินไหล", "ดินโคลนไหล", "โคลนไหล", "โคลนถล่ม", "ดินโคลน",
        "ภูเขาถล่ม", "เขาถล่ม", "ดอยถล่ม", "ดอยพัง", "ภูเขาพัง", "เขาพัง", "หินถล่ม", "หินร่วง", "หินไหล", "หินหล่น",
        "ดินพัง", "ดินทลาย", "ดินสไลด", "landslide", "landslides", "mudslide", "rockfall",
    ), fallback=("สาธารณภัย", "ภัยพิบัติ", "disaster"), own_kind=False),  # a landslide is a flood's or a road's
    Concept("drought", ("ภัยแล้ง", "แล้ง", "drought"), (
        "ภัยแล้ง", "แล้ง", "แห้งแล้ง", "น้ำแห้ง", "ฝนไม่ตก", "ฝนบ่ตก", "ฝนทิ้งช่วง", "ขาดแคลนน้ำ", "ขาดน้ำ", "บ่อแห้ง",
        "อ่างแห้ง", "ลำน้ำแห้ง", "น้ำบ่พอ", "น้ำไม่พอทำนา", "ไม่มีน้ำทำนา", "นาแห้ง", "ภัยแล้ว",
        "drought", "dry spell",
        "ฝนบ่ตก", "แตกระแหง", "ห้วยแห้ง", "คลองแห้ง", "แห้งหมด", "ไม่มีน้ำกิน", "บ่มีน้ำกิน", "น้ำไม่พอ", "เหี่ยวตาย",
        "no rain",
    ), fallback=("สาธารณภัย", "ภัยพิบัติ", "disaster")),
    Concept("fire", ("ไฟป่า", "หมอกควัน", "การเผา", "fire", "haze"), (
        "ไฟป่า", "ไฟไหม้", "ไฟไหม้ป่า", "ไหม้", "เผา", "เผาป่า", "เผาไร่", "เผาขยะ", "เผาหญ้า", "เผาฟาง", "หมอกควัน",
        "ควัน", "ควันไฟ", "ฝุ่นควัน", "ฝุ่น", "pm2.5", "pm 2.5", "ไฟป้า", "ไฟปา", "หมอกคัน",
        "fire", "wildfire", "forest fire", "haze", "smoke", "burning",
        "ไฟลาม", "ลุกลาม", "ไฟลุก", "ขี้เถ้า", "ควันจากดอย", "ควันจากป่า", "ควันจากไร่", "ควันจากเขา", "ไฟไหม้ดอย", "ไฟไหม้หญ้า", "ตอซัง", "เผาตอซัง", "ควันโขมง", "ควันเต็ม", "ควันเข้าบ้าน",
    ), fallback=("สิ่งแวดล้อม", "สาธารณภัย", "ภัยพิบัติ", "environment", "disaster")),
    Concept("elephant", ("ช้าง", "elephant"), (
        "ช้าง", "ช้างป่า", "จ๊าง", "จ๊างป่า", "ช้างบุก", "ช้างเข้า", "ช้างลง", "ช้างกิน", "โขลงช้าง", "wild elephant", "elephants", "elephant",
    ), fallback=("สัตว์", "animal")),
    Concept("animals", ("สัตว์", "animal"), (
        "สัตว์จรจัด", "สุนัขจรจัด", "สุนัข", "หมาจร", "หมาจรจัด", "หมา", "หมาบ้า", "หมากัด", "ฝูงหมา", "แมวจร", "แมว",
        "วัวปล่อย", "ควายปล่อย", "งู", "ลิง", "สัตว์เลี้ยง", "ตัวเงินตัวทอง",
        "stray", "stray dog", "stray dogs", "dog", "dogs", "cat", "cats", "snake", "monkey",
        "หมาว้อ", "หมาบ้า", "งูเห่า", "งูเข้าบ้าน", "หมากัด", "สุนัขกัด", "หมาเห่า",
    ), fallback=("ปศุสัตว์", "livestock", "pet")),
    Concept("nuisance", ("เหตุรำคาญ", "รำคาญ", "เสียงดัง", "nuisance", "noise"), (
        "เหตุรำคาญ", "เสียงดัง", "เสียงรบกวน", "เปิดเพลงดัง", "กลิ่นเหม็นจากฟาร์ม", "noise", "noisy", "loud music",
        # music, engines, fireworks and farms at night
        "คาราโอเกะ", "คาราโอเกะ", "เครื่องเสียง", "ลำโพง", "เปิดเพลง", "เพลงดัง", "ร้องเพลง", "แว้น", "รถซิ่ง", "ท่อดัง",
        "ท่อแต่ง", "บิดรถ", "บิดมอเตอร์ไซค์", "ประทัด", "จุดพลุ", "นอนไม่หลับ", "รบกวนการนอน", "ฟาร์มหมู", "ฟาร์มไก่",
        "เล้าหมู", "ขี้หมู", "ขี้ไก่", "loudspeaker", "karaoke",
    ), fallback=("สิ่งแวดล้อม", "environment")),
    Concept("drainage", ("ระบายน้ำ", "drain"), (
        "ท่อระบายน้ำ", "ท่อระบายน้ำอุดตัน", "ท่อตัน", "รางระบายน้ำ", "คูระบายน้ำ", "drain", "blocked drain",
    ), fallback=("สิ่งแวดล้อม", "environment", "sewer"), own_kind=False),  # a blocked drain floods
    Concept("health", ("สาธารณสุข", "สุขภาพ", "health"), (
        "สาธารณสุข", "ยุง", "ยุงลาย", "ลูกน้ำยุง", "ไข้เลือดออก", "โรคระบาด",  # not ระบาด alone: drugs, pests spread too
        "ไข้", "ป่วย", "เจ็บป่วย",
        "อนามัย", "รพ.สต", "อสม", "ฉีดยุง", "พ่นยุง", "หมอกควันยุง", "อาหารเป็นพิษ", "ท้องเสีย",
        "health", "dengue", "mosquito", "mosquitoes", "disease", "sick",
        "พ่นยุง", "ท้องร่วง", "เป็นไข้", "ไข้หวัด", "ผื่นคัน",
    ), fallback=("อนามัย", "โรค", "disease", "ยุง", "mosquito")),
    Concept("crime", ("ความปลอดภัย", "อาชญากรรม", "ยาเสพติด", "crime", "safety", "security", "drug"), (
        "ยาเสพติด", "ยาเสพย์ติด", "ยาบ้า", "ยาไอซ์", "ไอซ์", "เฮโรอีน", "กัญชา", "ใบกระท่อม", "น้ำกระท่อม", "เสพยา", "ติดยา", "ขายยาบ้า", "มั่วสุม",
        "ขโมย", "ลักขโมย", "ลักทรัพย์", "โจร", "ขโมยขึ้นบ้าน", "ปล้น", "วิ่งราว", "งัดบ้าน", "งัดแงะ", "ทะเลาะวิวาท",
        "ยกพวกตีกัน", "ยิงกัน", "แทงกัน", "ข่มขู่", "ทำร้ายร่างกาย", "การพนัน", "เล่นพนัน", "พนัน", "บ่อนพนัน", "บ่อนการพนัน", "บ่อนไก่", "บ่อนไก่ชน",
        "หวยเถื่อน", "หวยใต้ดิน", "มิจฉาชีพ", "แก๊งคอลเซ็นเตอร์", "คอลเซ็นเตอร์", "ต้มตุ๋น", "หลอกลวง", "หลอกให้โอน",
        "โดนหลอก", "ถูกหลอก", "โกงเงิน", "ฉ้อโกง", "ยักยอก", "drugs", "theft", "thief", "stolen", "robbery", "gambling", "scam",
    ), fallback=("ยุติธรรม", "ตำรวจ", "police")),
    Concept("welfare", ("สวัสดิการ", "เบี้ยยังชีพ", "welfare", "allowance"), (
        "เบี้ยยังชีพ", "เบี้ยผู้สูงอายุ", "เบี้ยคนชรา", "เบี้ยคนแก่", "เบี้ยคนพิการ", "เบี้ยพิการ", "เงินผู้สูงอายุ",
        "เงินคนแก่", "เงินคนพิการ", "บัตรสวัสดิการ", "บัตรคนจน", "เงินเยียวยา", "เงินช่วยเหลือ", "สวัสดิการ",
        "เงินอุดหนุน", "เงินไม่เข้า", "ไม่ได้รับเงิน", "ตกหล่น", "ค่าชดเชย", "เงินชดเชย", "ค่าเวนคืน", "welfare", "allowance", "pension",
    ), fallback=("สังคม", "social")),
    Concept("signal", ("โทรคมนาคม", "สัญญาณโทรศัพท์", "อินเทอร์เน็ต", "telecom", "internet"), (
        "สัญญาณโทรศัพท์", "สัญญาณมือถือ", "สัญญาณเน็ต", "สัญญาณอินเทอร์เน็ต", "ไม่มีสัญญาณ", "สัญญาณไม่มี",
        "สัญญาณอ่อน", "สัญญาณหาย", "สัญญาณไม่ดี", "เน็ตช้า", "เน็ตหลุด", "เน็ตไม่มี", "เน็ตใช้ไม่ได้", "อินเทอร์เน็ต",
        "อินเตอร์เน็ต", "ไวไฟ", "โทรไม่ติด", "โทรไม่ออก", "internet", "wifi", "no signal", "mobile signal",
    )),
    Concept("officials", ("ทุจริต", "ร้องเรียนเจ้าหน้าที่", "corruption", "misconduct"), (
        "ทุจริต", "คอรัปชั่น", "คอร์รัปชัน", "คอรัปชัน", "เรียกรับเงิน", "เงินใต้โต๊ะ", "ใต้โต๊ะ", "เรียกเงิน",
        "เลือกปฏิบัติ", "ใช้ส่วนตัว", "รถหลวง", "ไม่สุภาพ", "พูดจาไม่ดี", "พูดไม่ดี", "ไม่ให้บริการ", "ฮั้ว", "corruption", "bribe",
    )),
    Concept("irrigation", ("ชลประทาน", "แหล่งน้ำ", "irrigation"), (
        "ลำเหมือง", "เหมืองฝาย", "คลองส่งน้ำ", "คลองชลประทาน", "ชลประทาน", "ขุดลอก", "ตื้นเขิน", "ผักตบ",
        "ประตูระบายน้ำ", "ประตูน้ำ", "ไม่ไหลเข้านา", "น้ำไม่เข้านา", "ไม่ถึงนา", "irrigation",
    )),
    Concept("mining", ("ทรัพยากรธรรมชาติ", "natural resources"), (
        "ดูดทราย", "ตักทราย", "ขุดทราย", "รถขนทราย", "บ่อดิน", "ขุดดินขาย", "ขุดหน้าดิน", "ระเบิดหิน", "sand mining",
    )),
    Concept("signs", ("ป้าย", "signboard"), (
        "ป้ายหาเสียง", "ป้ายผิดกฎหมาย", "ป้ายบังตา", "billboard",
    )),
    Concept("transport", ("การเดินทาง", "ขนส่งสาธารณะ", "รถโดยสาร", "public transport", "bus"), (
        "รถสองแถว", "รถโดยสาร", "รถเมล์", "รถประจำทาง", "รถตู้โดยสาร", "รถรับส่งนักเรียน", "ไม่มีรถเข้า", "bus",
    )),
    Concept("land", ("ที่ดิน", "land use", "land dispute"), (
        "รุกล้ำ", "บุกรุกที่ดิน", "หลักเขต", "เวนคืน", "บ้านเลขที่", "ทะเบียนบ้าน", "บัตรประชาชน", "แนวเขตที่ดิน", "เขตที่ดิน", "โฉนด", "ข้อพิพาท", "ที่ทำกิน", "land dispute",
    )),
)
"""Common problems and the words for them; a directory without such a category files a problem of its own
kind under its catch-all (``own_kind``) and ignores the rest."""

EFFECT_WORDS = frozenset((
    "ผ่านไม่ได้", "ผ่านบ่ได้", "สัญจรไม่ได้", "สัญจรบ่ได้", "ไปมาไม่ได้", "ข้ามไม่ได้", "ข้ามบ่ได้",
    "ไม่มีไฟ", "บ่มีไฟ", "มืดทั้ง", "มืดมาก", "มืดสนิท", "มืดตึ้บ",
))
"""Words that say what a problem does (can't pass, dark), not what it is: a thing named beside
them (an elephant, a fallen tree, a flood) tells the type first."""



@dataclass(frozen=True)
class Frame:
    """A thing (``ทาง``) and what went wrong with it (``ขาด``), at most ``gap`` letters apart in
    one typed word: the type of the category ``anchors`` find (as for a concept)."""

    anchors: tuple[str, ...]
    things: tuple[str, ...]
    wrongs: tuple[str, ...]
    gap: int = 12


FRAMES = (
    Frame(("ถนน", "road", "สะพาน", "bridge"), ("ถนน", "ทาง", "สะพาน", "ขัว", "ซอย"),
          ("ขาด", "พัง", "ยุบ", "ทรุด", "แตก", "ชำรุด", "เป็นหลุม", "เป็นช่อง", "ผุ", "หัก")),
    Frame(("ประปา", "water supply", "tap water"), ("ประปา", "ก๊อก", "ท่อน้ำ", "ท่อประปา"),
          ("ไม่ไหล", "ไม่มา", "ไม่ออก", "แตก", "รั่ว", "เสีย", "ขุ่น", "เหม็น")),
    Frame(("ไฟฟ้า", "electric", "power"), ("ไฟฟ้า", "ไฟบ้าน", "ไฟถนน", "ไฟทาง", "ไฟกิ่ง", "เสาไฟ", "สายไฟ", "ตู้ไฟ",
                                          "หม้อแปลง", "มิเตอร์ไฟ"),
          ("ดับ", "ไม่ติด", "ไม่มา", "ตก", "เสีย", "ขาด", "ล้ม", "เอียง", "หัก", "ช็อต", "ระเบิด", "เสียงดัง", "มีควัน")),
)
"""What went wrong, said around other words: the type of the common things that break."""


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

FROM_THINGS = ("ควัน", "ฝุ่น")
"""Smoke or dust "from" something (``ฝุ่นจากโรงโม่``): the source tells the type (``ควันจากการเผา``)."""

BURNING_WORDS = ("ไฟไหม้", "ไฟลามไหม้", "ลามไหม้", "ไหม้", "ไฟลุก")
"""Burning (``ไหม้ที่บ้าน`` too); ``เผา`` (to burn) takes what it burns right after it."""
BUILDINGS = ("บ้าน", "ครัว", "ห้อง", "ยุ้ง", "โรง", "โกดัง", "ร้าน", "ห้าง", "รถ", "ศพ", "ปลั๊ก", "กระท่อม",
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
