"""Common problems and the words citizens use for them, as data (Thai, Northern Thai, English, slips).

A directory's categories are its own; these concepts attach to them by ``anchors`` (``attach``):
a concept belongs to a category whose code, names or keywords hold one of its anchors, the one
it names best when several do (a province that keeps street lights apart from the grid gets
``ไฟกิ่งดับ`` under its street lights); ``fallback`` anchors are tried when none does; and a problem
of its own kind that the directory has no type for (a stray dog where there is no animals type,
noise, drugs, a missing allowance) belongs to its catch-all, so that the citizen is offered
"other" at once. A category also gets its own names, the parts of its names and its
``keywords_th``/``keywords_en`` (categories.csv) as words. Words are matched in the text with
the place names taken out; the longer a word, the more it counts, so ``น้ำท่วมถนน`` reads as a
flood, not a road.
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
    unless: tuple[str, ...] = ()  # longer words in which its anchors say another thing (สัตว์ป่า)


CONCEPTS = (
    Concept("road", ("ถนน", "road"), (
        "ถนน", "ถนนพัง", "ถนนชำรุด", "ถนนเป็นหลุม", "ถนนทรุด", "ถนนขาด", "ถนนแตก", "ถนนลูกรัง", "ถนนเสีย",
        "หลุมบ่อ", "เป็นหลุม", "หลุมใหญ่", "ทางขาด", "ทางพัง", "ทางชำรุด", "ทางเป็นหลุม", "ผิวทาง", "ลาดยาง",
        "ถนล", "ถหนน", "ทนน",
        "road", "roads", "pothole", "potholes", "street",
        # effects and other words for it: can't pass, rough, sunk; Northern ขุม (a hole); loan words
        "หลุม", "ขุม", "เป็นขุม", "หนทาง", "ผ่านไม่ได้", "ผ่านบ่ได้", "สัญจรไม่ได้", "สัญจรบ่ได้", "ไปมาไม่ได้",
        "ข้ามไม่ได้", "ข้ามบ่ได้", "เป็นรู", "เป๋นฮู", "เป็นฮู", "ขรุขระ", "ถนนยุบ", "ทางยุบ", "ยุบตัว", "ทรุดตัว", "ติดหล่ม", "หล่ม",
        "คอนกรีตแตก", "ลาดยางหลุด", "หินคลุก", "ลื่นล้ม", "ดินเลนเต็มทาง", "ทางลาดยาง", "ถนนดิน", "ถนนคอนกรีต", "ร่องถนน",
        "roadside", "road broken", "broken road", "tanon pang", "thanon pang", "tanon", "thanon",
    ), fallback=("สะพาน", "bridge", "คมนาคม", "โยธา", "โครงสร้างพื้นฐาน", "infrastructure", "transport")),
    Concept("bridge", ("สะพาน", "bridge"), (
        "สะพาน", "สะพานพัง", "สะพานขาด", "คอสะพาน", "ขัว", "ขัวพัง", "ขัวขาด", "สพาน", "สะพาร", "bridge",
        "สะพานไม้", "สะพานผุ", "สะพานหัก", "สะพานทรุด", "ราวสะพาน",
    ), fallback=("ถนน", "road", "คมนาคม", "โยธา", "โครงสร้างพื้นฐาน", "infrastructure")),
    Concept("footpath", ("ทางเท้า", "ฟุตบาท", "footpath", "sidewalk", "pavement"), (
        "ทางเท้า", "ทางเดินเท้า", "ฟุตบาท", "ฟุตปาธ", "บล็อกทางเท้า", "footpath", "sidewalk",
        "ทางเดินข้างถนน", "ทางเดินริมถนน", "คนเดินไม่ได้", "เดินลงถนน",
    ), fallback=("ถนน", "road", "คมนาคม", "โยธา")),
    Concept("water", ("ประปา", "water supply", "tap water", "น้ำอุปโภค"), (
        "ประปา", "น้ำประปา", "น้ำไม่ไหล", "น้ำบ่ไหล", "น้ำบ่มา", "น้ำไม่มา", "น้ำไหลอ่อน", "น้ำไหลซึม", "น้ำขุ่น",
        "น้ำประปาขุ่น", "ท่อแตก", "ท่อประปา", "ท่อน้ำแตก", "ท่อรั่ว", "ท่อน้ำรั่ว", "มิเตอร์น้ำ", "มาตรน้ำ", "ประปาหมู่บ้าน",
        "ปะปา", "ประปร", "ประปาา", "ปรปา", "ประป่า",
        "tap water", "water pipe", "no water", "water supply", "pipe burst", "burst pipe",
        # effects: nothing from the tap, a trickle; the tank, the pump; Northern บ่
        "ไม่ไหล", "บ่ไหล", "น้ำไม่ออก", "น้ำบ่ออก", "ไม่มีน้ำใช้", "บ่มีน้ำใช้", "ไม่มีน้ำประปา", "น้ำไม่พอใช้",
        "มีตะกอน", "น้ำสีแดง", "น้ำเป็นสีแดง", "น้ำสีขุ่น", "ก๊อก", "ก็อก", "ก๊อกน้ำ", "น้ำก๊อก", "ก๊อกแห้ง", "ไหลริน", "ไหลเบา", "ไหลอ่อน", "ไหลไม่แรง", "ท่อเมน",
        "ท่อน้ำ", "หอถัง", "ถังประปา", "หอประปา", "ปั๊มน้ำ", "ปั๊มประปา", "คลอรีน", "น้ำมีตะกอน", "น้ำเป็นสนิม",
        "tap", "taps", "water not running", "no running water",
        "nam prapa", "prapa", "nam pra pa", "pra pa", "nam mai lai", "nam mai lhai", "nam mai lai loey",
    ), fallback=("ระบบน้ำ", "น้ำใช้", "น้ำดื่ม", "water")),
    Concept("power", ("ไฟฟ้า", "สายไฟ", "เสาไฟ", "หม้อแปลง", "electric", "power", "wire"), (
        "ไฟฟ้า", "ไฟดับ", "ไฟตก", "ไฟบ่มา", "ไฟไม่มา", "ไฟไม่ติด", "ไฟบ่ติด", "เสาไฟ", "เสาไฟฟ้า", "สายไฟ", "สายไฟขาด",
        "สายไฟฟ้า", "หม้อแปลง", "ไฟกระพริบ", "ไฟช็อต", "ไฟรั่ว", "ไฟฟ้าดับ", "ไฟฟ้าตก",
        "ไฟฟา", "ไฟฟ่า", "ไฟดัป", "หม้อแปรง", "ไฟฟ้าาดับ",
        "power", "power cut", "blackout", "electricity", "transformer",
        # effects: no power; short circuits (loan word ช็อต); Northern บ่
        "ไม่มีไฟ", "บ่มีไฟ", "ไม่มีไฟฟ้า", "ไฟตกมาก", "ไฟอ่อน", "แอร์ไม่ติด", "แอร์ไม่เย็น", "ตู้เย็นไม่เย็น",
        "ไฟดับๆ", "ดับๆติดๆ", "ติดๆดับๆ", "ไฟติดๆดับๆ", "ช็อต", "ช๊อต", "ชอร์ต", "ประกายไฟ",
        "เบรกเกอร์", "มิเตอร์ไฟ", "ตู้ไฟ", "เสาไฟเอียง", "สายไฟห้อย", "สายไฟขาด",
        "power out", "power outage", "no power", "no electricity", "outage",
        "fai dab", "fai dub", "fai dup", "fai dap", "fai mai ma", "fai tok", "fai ma dab",  # Thai typed in Latin letters
    ), fallback=("แสงสว่าง", "lighting")),
    Concept("lighting", ("ส่องสว่าง", "แสงสว่าง", "ไฟส่องทาง", "ไฟทาง", "ไฟถนน", "ไฟกิ่ง", "ไฟสาธารณะ", "street light",
                         "streetlight", "lighting"), (
        "ไฟกิ่ง", "ไฟถนน", "ไฟทาง", "ไฟส่องสว่าง", "ไฟทางดับ", "ไฟถนนดับ", "ไฟกิ่งดับ", "ไฟถนนเสีย", "ไฟทางเสีย",
        "ไฟกิ่งเสีย", "ไฟถนนไม่ติด", "ไฟสาธารณะ", "ไฟทางสาธารณะ", "หลอดไฟถนน", "หลอดไฟทาง", "โคมไฟ", "ไฟซอย",
        "ไฟโซล่า", "ไฟโซลาร์", "ไฟริมถนน", "ไฟริมทาง", "ไฟส่องทาง", "ไฟบนสะพาน", "ไฟสะพาน", "ไฟเสา", "มืดตึ๊ดตื๋อ", "มืดตื๋อ", "ขอไฟ", "อยากได้ไฟ", "ติดไฟทาง",
        "streetlight", "street light", "lights out", "no light",
        # effects: no light at night, dark
        "ไฟไม่สว่าง", "ไฟบ่สว่าง", "มืดทั้ง", "มืดมาก", "มืดตึ้บ", "มืดสนิท", "fai tang", "fai tang dub",
        "fai tang mai tid", "fai tanon",
    ), fallback=("ไฟฟ้า", "electric", "power")),
    Concept("garbage", ("ขยะ", "มูลฝอย", "garbage", "waste", "rubbish"), (
        "ขยะ", "ขี้เยื่อ", "ขี้เยื้อ", "กองขยะ", "รถขยะ", "ถังขยะ", "เก็บขยะ", "ขยะเหม็น", "ขยะล้น", "ทิ้งขยะ",
        "ขะยะ", "ขยา", "ขบะ", "ขยะมากอง", "เอาขยะมา",
        "garbage", "rubbish", "trash", "waste",
        # North-eastern ขี้เหยื้อ; dumping
        "ขี้เหยื้อ", "ขี้เหยื่อ", "ขี้เหยือ", "ถุงขยะ", "บ่อขยะ", "ลักลอบทิ้ง", "ทิ้งขยะ", "เก็บขยะ", "ขยะเน่า",
        "garbage not collected", "litter", "kaya", "khaya", "kha ya",
        "ไม่มาเก็บ", "ถังล้น", "ถุงพลาสติก", "ค่าเก็บขยะ", "เศษอาหาร", "เศษปลา", "เศษปูน", "ทิ้งเกลื่อน",
    ), fallback=("สิ่งแวดล้อม", "ความสะอาด", "environment", "sanitation")),
    Concept("flood", ("น้ำท่วม", "อุทกภัย", "flood"), (
        "น้ำท่วม", "ท่วม", "น้ำหลาก", "น้ำป่า", "น้ำป่าไหลหลาก", "น้ำล้นตลิ่ง", "น้ำเอ่อ",
        "ตลิ่งพัง", "น้ำท้วม", "น้ำทวม", "น้ำท่วท",
        "flood", "flooded", "flooding",
        # effects: water into the house, rising, the fields under water
        "น้ำเข้าบ้าน", "น้ำเข้าไร่", "น้ำเข้านา", "น้ำเข้าสวน", "น้ำนอง", "น้ำขึ้นสูง", "น้ำล้น", "ล้นตลิ่ง", "ท่วมทุ่ง", "ท่วมนา", "จมน้ำ", "ข้าวจม", "น้ำหนุน",
        "floods", "flash flood", "nam tuam", "nam thuam", "nam tuem", "nam tuum",
    ), fallback=("สาธารณภัย", "ภัยพิบัติ", "disaster")),
    Concept("landslide", ("ดินถล่ม", "ดินสไลด์", "ดินโคลน", "landslide", "mudslide"), (
        "ดินถล่ม", "ดินสไลด์", "สไลด์", "แลนด์สไลด์", "ดินไหล", "ดินโคลนไหล", "โคลนไหล", "โคลนถล่ม", "ดินโคลน",
        "ภูเขาถล่ม", "เขาถล่ม", "ดอยถล่ม", "ดอยพัง", "ภูเขาพัง", "เขาพัง", "หินถล่ม", "หินร่วง", "หินไหล", "หินหล่น",
        "ดินพัง", "ดินทลาย", "ดินสไลด", "landslide", "landslides", "mudslide", "rockfall",
    ), fallback=("สาธารณภัย", "ภัยพิบัติ", "disaster"), own_kind=False),  # a landslide is a flood's or a road's
    Concept("storm", ("วาตภัย", "พายุ", "storm"), (
        "วาตภัย", "พายุ", "ลมพายุ", "พายุฤดูร้อน", "ลมแรง", "หลังคาปลิว", "หลังคาบ้านปลิว", "ลูกเห็บ", "ฟ้าผ่า",
        "storm", "windstorm", "hail",
    ), fallback=("สาธารณภัย", "ภัยพิบัติ", "disaster"), own_kind=False),  # else what it broke
    Concept("drought", ("ภัยแล้ง", "แล้ง", "drought"), (
        "ภัยแล้ง", "แล้ง", "แห้งแล้ง", "น้ำแห้ง", "ฝนไม่ตก", "ฝนบ่ตก", "ฝนทิ้งช่วง", "ขาดแคลนน้ำ", "ขาดน้ำ", "บ่อแห้ง",
        "อ่างแห้ง", "ลำน้ำแห้ง", "น้ำบ่พอ", "น้ำไม่พอทำนา", "ไม่มีน้ำทำนา", "นาแห้ง", "ภัยแล้ว",
        "drought", "dry spell",
        "ฝนบ่ตก", "แตกระแหง", "ห้วยแห้ง", "คลองแห้ง", "แห้งหมด", "ไม่มีน้ำกิน", "บ่มีน้ำกิน", "น้ำไม่พอ", "เหี่ยวตาย",
        "no rain",
    ), fallback=("สาธารณภัย", "ภัยพิบัติ", "disaster")),
    Concept("fire", ("ไฟป่า", "หมอกควัน", "การเผา", "เผา", "fire", "haze", "burning", "smoke", "pm2.5", "pm 2.5"), (
        "ไฟป่า", "ไฟไหม้", "ไฟไหม้ป่า", "ไหม้", "เผา", "เผาป่า", "เผาไร่", "เผาขยะ", "เผาหญ้า", "เผาฟาง", "หมอกควัน",
        "ควัน", "ควันไฟ", "ฝุ่นควัน", "pm2.5", "pm 2.5", "ไฟป้า", "ไฟปา", "หมอกคัน",
        "fire", "wildfire", "forest fire", "haze", "smoke", "burning",
        "ไฟลาม", "ลุกลาม", "ไฟลุก", "ขี้เถ้า", "ควันจากดอย", "ควันจากป่า", "ควันจากไร่", "ควันจากเขา", "ไฟไหม้ดอย", "ไฟไหม้หญ้า", "ตอซัง", "เผาตอซัง", "ควันโขมง", "ควันเต็ม", "ควันเข้าบ้าน",
    ), fallback=("สิ่งแวดล้อม", "สาธารณภัย", "ภัยพิบัติ", "environment", "disaster")),
    Concept("dust", ("ฝุ่น", "dust"), (
        "ฝุ่น", "ฝุ่นละออง", "ฝุ่นหิน", "ฝุ่นปูน", "ฝุ่นดิน", "ฝุ่นแกลบ", "ฝุ่นถนน", "ฝุ่นคลุ้ง", "ฝุ่นฟุ้ง", "ฝุ่นตลบ",
        "ฝุ่นเยอะ", "ฝุ่นเต็ม", "โรงโม่", "โรงโม่หิน", "โม่หิน", "รถขนดิน", "รถบรรทุกดิน", "dust", "dusty",
    ), fallback=("มลพิษ", "สิ่งแวดล้อม", "รำคาญ", "pollution", "environment", "nuisance")),
    Concept("housefire", ("อัคคีภัย", "เพลิงไหม้", "ดับเพลิง", "house fire"), (
        "อัคคีภัย", "เพลิงไหม้", "ไฟไหม้บ้าน", "บ้านไฟไหม้", "บ้านถูกไฟไหม้", "ไหม้ทั้งหลัง", "ไหม้หมดทั้งหลัง",
        "วอดทั้งหลัง", "ไฟไหม้ร้าน", "ไฟไหม้ครัว", "ไฟไหม้โรง", "ไฟไหม้ตลาด", "รถดับเพลิง", "ดับเพลิง", "house fire",
    ), fallback=("สาธารณภัย", "ภัยพิบัติ", "disaster")),
    Concept("fishing", ("ประมง", "fishery", "fishing"), (
        "เรือปั่นไฟ", "ปั่นไฟ", "ตกหมึก", "ไฟล่อปลา", "อวนลาก", "อวนรุน", "เรือประมง", "ประมงพื้นบ้าน", "ประมงผิดกฎหมาย",
        "ช็อตปลา", "ระเบิดปลา", "เบื่อปลา", "เรือลากคู่", "ลากอวน", "เรือคราดหอย", "คราดหอย", "ลอบปู", "เรือนอก",
        "เขตอนุรักษ์", "trawler",
    )),
    Concept("elephant", ("ช้าง", "elephant"), (
        "ช้าง", "ช้างป่า", "จ๊าง", "จ๊างป่า", "ช้างบุก", "ช้างเข้า", "ช้างลง", "ช้างกิน", "ช้างพัง", "โขลงช้าง", "wild elephant", "elephants", "elephant",
    ), fallback=("สัตว์", "animal", "สัตว์ป่า", "wildlife")),
    Concept("animals", ("สัตว์", "animal", "จรจัด", "stray"), (
        "สัตว์จรจัด", "สุนัขจรจัด", "สุนัข", "หมาจร", "หมาจรจัด", "หมา", "หมาบ้า", "หมากัด", "ฝูงหมา", "แมวจร", "แมว",
        "สัตว์เลี้ยง", "หมาไม่มีเจ้าของ", "ไม่มีเจ้าของ",
        "stray", "stray dog", "stray dogs", "dog", "dogs", "cat", "cats",
        "หมาว้อ", "หมาบ้า", "หมากัด", "สุนัขกัด", "หมาเห่า", "ma jon", "mah jon", "ma ba", "soonak",
    ), fallback=("ปศุสัตว์", "livestock", "pet"), unless=("สัตว์ป่า", "wildlife", "wild animal")),
    Concept("livestock", ("ปศุสัตว์", "livestock", "cattle"), (
        "วัวปล่อย", "ควายปล่อย", "ปล่อยวัว", "ปล่อยควาย", "วัวควาย", "วัวหลุด", "ควายหลุด", "cattle",
    ), fallback=("สัตว์จรจัด", "สัตว์", "animal"), unless=("สัตว์ป่า", "wildlife", "wild animal")),
    Concept("wildlife", ("สัตว์ป่า", "สัตว์มีพิษ", "สัตว์อันตราย", "งู", "wildlife", "snake", "venomous"), (
        "งู", "งูเห่า", "งูจงอาง", "งูเข้าบ้าน", "ลิง", "ฝูงลิง", "จระเข้", "ตัวเงินตัวทอง", "เหี้ย", "รังต่อ", "รังแตน",
        "ผึ้งต่อย", "ตะขาบ", "แมงป่อง", "กระทิง", "วัวแดง", "หมูป่า", "เก้ง", "snake", "monkey", "monkeys", "crocodile",
    ), fallback=("สัตว์ป่า", "wildlife")),  # a snake is no stray: other, where no type has wild animals
    Concept("nuisance", ("เสียงดัง", "เสียงรบกวน", "noise", "เหตุรำคาญ", "รำคาญ", "nuisance"), (
        "เหตุรำคาญ", "เสียงดัง", "เสียงรบกวน", "เปิดเพลงดัง", "noise", "noisy", "loud music",
        # music, engines, fireworks and farms at night
        "คาราโอเกะ", "คาราโอเกะ", "เครื่องเสียง", "ลำโพง", "เปิดเพลง", "เพลงดัง", "ร้องเพลง", "แว้น", "รถซิ่ง", "ท่อดัง",
        "ท่อแต่ง", "บิดรถ", "บิดมอเตอร์ไซค์", "ประทัด", "จุดพลุ", "นอนไม่หลับ", "รบกวนการนอน", "เสียงเรียกนก",
        "รถแห่", "ซ้อมดนตรี", "เสียงเครื่องจักร", "เครื่องจักรดัง", "ดังลั่น", "ดังหึ่ง", "ดังทั้งคืน",
        "เดินเครื่องทั้งคืน", "เดินเครื่องตลอดคืน", "หอกระจายข่าว", "เสียงตามสาย", "เครื่องขยายเสียง", "หมอลำ", "นอนไม่ได้",
        "loudspeaker", "karaoke",
    ), fallback=("สิ่งแวดล้อม", "environment")),
    Concept("smell", ("กลิ่น", "smell", "odour", "เหตุรำคาญ", "nuisance"), (
        "กลิ่นเหม็นจากฟาร์ม", "ฟาร์มหมู", "ฟาร์มไก่", "เล้าหมู", "ขี้หมู", "ขี้ไก่", "ขี้ยาง", "ลานยาง", "บ้านนก",
        "เหม็นเปรี้ยว", "โรงงานแป้งมัน", "ปล่อยน้ำเสีย",  # not a stench alone: garbage, drains stink too
        "ปล่อยน้ำลง", "มลพิษ", "pollution", "น้ำมันเครื่อง", "น้ำมันเก่า", "ซากสัตว์", "วัวตาย", "หมาตาย",
    ), fallback=("สิ่งแวดล้อม", "environment")),
    Concept("rubber", ("ยางพารา", "สวนยาง", "rubber"), (
        "ราคายาง", "ยางราคา", "กรีดยาง", "ยางพารา", "สวนยาง", "ยางตาย", "โรคยาง", "ใบยางร่วง", "กรีดไม่ได้", "กรีดไม่ออก",
        "น้ำยางไม่ออก", "เปลือกแห้ง", "rubber",
    ), fallback=("ศัตรูพืช", "พืชผล", "เกษตร", "crop", "agricultur")),
    Concept("crops", ("ศัตรูพืช", "พืชผล", "เกษตร", "crop", "pest", "agricultur"), (
        "ราคาข้าว",
        "ศัตรูพืช", "เพลี้ย", "เพลี้ยกระโดด", "หนอนหัวดำ", "หนอนกระทู้", "ด้วงแรด", "หนูนา", "โรคพืช", "ใบร่วง",
        "ใบเหลือง", "เชื้อรา", "รากเน่า", "โคนเน่า", "เปลือกเน่า", "หอยเชอรี่", "ตั๊กแตน", "โรคใบ",
        "crop", "pests",
    )),
    Concept("standing", ("น้ำขัง", "ท่วมขัง"), (
        "น้ำขัง", "น้ำท่วมขัง", "ท่วมขัง", "น้ำขังรอการระบาย", "ระบายไม่ทัน", "ไม่มีทางระบาย",
    ), fallback=("ระบายน้ำ", "drain", "น้ำท่วม", "อุทกภัย", "flood"), own_kind=False),  # a drain's trouble, else a flood
    Concept("drainage", ("ระบายน้ำ", "drain", "น้ำเสีย", "น้ำเน่า", "wastewater", "น้ำขัง", "ท่วมขัง"), (
        "ท่อลอด", "ท่อลอดถนน", "ท่อระบายน้ำ", "ไหลย้อน", "ตกท่อ", "ฝาท่อแตก", "ท่อไม่ระบาย", "ท่อระบายน้ำอุดตัน", "ท่อตัน", "รางระบายน้ำ", "คูระบายน้ำ", "drain", "blocked drain",
        "ท่ออุดตัน", "ท่อระบาย", "ฝาท่อ", "น้ำเน่า", "น้ำเน่าเสีย", "น้ำเสีย", "น้ำครำ", "คูน้ำ", "ร่องน้ำ", "รางน้ำตัน", "ระบายน้ำไม่ทัน", "sewer",
    ), fallback=("สิ่งแวดล้อม", "environment", "sewer"), own_kind=False),  # a blocked drain floods
    Concept("health", ("โรคติดต่อ", "โรคระบาด", "ไข้เลือดออก", "dengue", "disease"), (
        "ยุง", "ยุงลาย", "ลูกน้ำยุง", "ไข้เลือดออก", "โรคระบาด",  # not ระบาด alone: drugs, pests spread too
        "ไข้", "ฉีดยุง", "พ่นยุง", "หมอกควันยุง", "อาหารเป็นพิษ", "ท้องเสีย",
        "dengue", "mosquito", "mosquitoes", "disease",
        "ท้องร่วง", "เป็นไข้", "ไข้หวัด", "ผื่นคัน", "ฉี่หนู", "วัณโรค", "โรคติดต่อ", "มือเท้าปาก", "อหิวาต์", "ตาแดง",
        "โควิด", "ไข้หวัดใหญ่",
    ), fallback=("สาธารณสุข", "สุขภาพ", "health", "อนามัย", "ยุง", "mosquito")),  # not โรค alone: crops have them
    Concept("clinic", ("สาธารณสุข", "สุขภาพ", "บริการสุขภาพ", "โรงพยาบาล", "health", "hospital"), (
        "สาธารณสุข", "อนามัย", "รพ.สต", "อสม", "ป่วย", "เจ็บป่วย", "ป่วยติดเตียง", "หาหมอ", "ไปหาหมอ", "ไม่มีหมอ",
        "รถพยาบาล", "รถกู้ชีพ", "กู้ชีพ", "โรงพยาบาล", "ไปโรงพยาบาล", "ยาไม่พอ", "health", "sick", "clinic", "hospital",
    )),  # a clinic's service where the province has no health type: other
    Concept("crime", ("ความปลอดภัย", "อาชญากรรม", "ยาเสพติด", "crime", "safety", "security", "drug"), (
        "ยาเสพติด", "ยาเสพย์ติด", "ยาบ้า", "ยาไอซ์", "ไอซ์", "เฮโรอีน", "กัญชา", "ใบกระท่อม", "น้ำกระท่อม", "เสพยา", "ติดยา", "ขายยาบ้า", "มั่วสุม",
        "ขโมย", "ลักขโมย", "ลักทรัพย์", "โจร", "ขโมยขึ้นบ้าน", "ปล้น", "วิ่งราว", "งัดบ้าน", "งัดแงะ", "ทะเลาะวิวาท",
        "ยกพวกตีกัน", "ยิงกัน", "นักเลง", "ตีกัน", "เสียสติ", "คนคลั่ง", "เสียงปืน", "ยิงปืน", "ปืน", "ขี้ยา", "ลักของ", "ลักวัว", "ขโมยวัว", "บ่อนไพ่", "วงไพ่",
        "เล่นไพ่", "ชิงทรัพย์", "ดักจี้", "จี้ปล้น", "ชนแล้วหนี", "ตามจับ", "แทงกัน", "ข่มขู่", "ทำร้ายร่างกาย", "การพนัน", "เล่นพนัน", "พนัน", "บ่อนพนัน", "บ่อนการพนัน", "บ่อนไก่", "บ่อนไก่ชน",
        "หวยเถื่อน", "หวยใต้ดิน", "มิจฉาชีพ", "แก๊งคอลเซ็นเตอร์", "คอลเซ็นเตอร์", "ต้มตุ๋น", "หลอกลวง", "หลอกให้โอน",
        "โดนหลอก", "ถูกหลอก", "โกงเงิน", "ฉ้อโกง", "ยักยอก", "drugs", "theft", "thief", "stolen", "robbery", "gambling", "scam",
    ), fallback=("ยุติธรรม", "ตำรวจ", "police")),
    Concept("welfare", ("สวัสดิการ", "เบี้ยยังชีพ", "welfare", "allowance"), (
        "เบี้ยยังชีพ", "เบี้ยผู้สูงอายุ", "เบี้ยคนชรา", "เบี้ยคนแก่", "เบี้ยคนพิการ", "เบี้ยพิการ", "เงินผู้สูงอายุ",
        "เงินคนแก่", "เงินคนพิการ", "บัตรสวัสดิการ", "บัตรคนจน", "เงินเยียวยา", "สวัสดิการ",
        "เงินอุดหนุน", "คนยากไร้", "ผู้ยากไร้",
        "ซ่อมบ้าน", "สร้างบ้าน", "หลังคารั่ว", "ค่าตอบแทน", "เงินเด็กแรกเกิด", "เบี้ยความพิการ", "รถเข็น",
        "ไม่มีคนดูแล", "ไม่มีใครดูแล", "อยู่คนเดียว", "ไม่มีรายได้", "ข้าวสารจะหมด", "ผู้ด้อยโอกาส", "ถุงยังชีพ", "ตกหล่น", "welfare", "allowance", "pension",
    ), fallback=("สังคม", "social")),
    Concept("debt", ("หนี้", "ผู้บริโภค", "debt", "consumer"), (
        "หนี้", "เจ้าหนี้", "ทวงหนี้", "ดอกเบี้ย", "ดอกโหด", "เงินกู้", "เงินกู้นอกระบบ", "หนี้นอกระบบ", "โกงราคา",
        "ขายแพง", "debt", "loan shark",
    )),
    Concept("bills", ("ค่าไฟ", "ค่าน้ำ", "bill"), (
        "ค่าไฟ", "ค่าไฟแพง", "ค่าน้ำ", "ค่าน้ำแพง", "มิเตอร์", "บิลค่าไฟ", "bill",
    )),
    Concept("money", ("ค่าชดเชย", "เงินชดเชย", "ค่าจ้าง", "แรงงาน", "compensation", "wages", "labour"), (
        "ค่าชดเชย", "เงินชดเชย", "ค่าเวนคืน", "เงินประกันรายได้", "ประกันราคา", "ทะเบียนเกษตรกร", "กยศ", "ค่าแรง",
        "ไม่จ่ายค่าแรง", "ค่าจ้าง", "เลิกจ้าง", "นายจ้าง", "wages",
    )),
    Concept("signal", ("โทรคมนาคม", "สัญญาณโทรศัพท์", "อินเทอร์เน็ต", "telecom", "internet"), (
        "สัญญาณโทรศัพท์", "สัญญาณมือถือ", "สัญญาณเน็ต", "สัญญาณอินเทอร์เน็ต", "ไม่มีสัญญาณ", "สัญญาณไม่มี",
        "สัญญาณอ่อน", "สัญญาณหาย", "สัญญาณไม่ดี", "เน็ตช้า", "เน็ตหลุด", "เน็ตไม่มี", "เน็ตใช้ไม่ได้", "อินเทอร์เน็ต",
        "อินเตอร์เน็ต", "ไวไฟ", "โทรไม่ติด", "โทรไม่ออก", "internet", "wifi", "no signal", "mobile signal",
    )),
    Concept("officials", ("ทุจริต", "ร้องเรียนเจ้าหน้าที่", "เจ้าหน้าที่รัฐ", "ข้าราชการ", "corruption", "misconduct",
                          "official"), (
        "ทุจริต", "คอรัปชั่น", "คอร์รัปชัน", "คอรัปชัน", "เรียกรับเงิน", "เงินใต้โต๊ะ", "ใต้โต๊ะ", "เรียกเงิน",
        "เลือกปฏิบัติ", "ใช้ส่วนตัว", "รถหลวง", "ซื้อเสียง", "ขายเสียง", "เล่นพวก", "ไม่สุภาพ", "พูดจาไม่ดี", "พูดไม่ดี", "ไม่ให้บริการ", "ฮั้ว", "ฮั้วกัน", "เอางบ", "งบหาย", "ยักยอกงบ", "ไม่มีใบเสร็จ", "ไม่ออกใบเสร็จ",
        "เก็บเงินชาวบ้าน", "เจ้าหน้าที่หายไป", "ให้แต่ญาติ", "แจกแต่ญาติ", "เฉพาะญาติ", "ไม่อยู่ที่โต๊ะ", "ไม่มาทำงาน", "corruption", "bribe",
    )),
    Concept("irrigation", ("ชลประทาน", "แหล่งน้ำ", "คลอง", "irrigation", "canal"), (
        "ลำเหมือง", "เหมืองฝาย", "คลองส่งน้ำ", "คลองชลประทาน", "ชลประทาน", "ขุดลอก", "ตื้นเขิน", "ผักตบ",
        "ประตูระบายน้ำ", "ประตูน้ำ", "ไม่ไหลเข้านา", "น้ำไม่เข้านา", "ไม่ถึงนา", "irrigation",
    )),
    Concept("saltwater", ("น้ำเค็ม", "น้ำทะเลหนุน", "saltwater", "salinity"), (
        "น้ำเค็ม", "น้ำกร่อย", "น้ำเค็มรุก", "น้ำเค็มขึ้น", "คันกั้นน้ำเค็ม", "น้ำทะเลหนุน", "ดินเค็ม", "เค็มปี๋",
        "saltwater", "salty water",
    )),
    Concept("chemicals", ("สารเคมี", "ยาฆ่าหญ้า", "เคมีเกษตร", "pesticide", "agrochemical"), (
        "สารเคมี", "ยาฆ่าหญ้า", "ยาฆ่าแมลง", "ยาเบื่อหญ้า", "ฉีดยาฆ่า", "พาราควอต", "ไกลโฟเซต", "ละอองยา", "พ่นยาสวน",
        "ฉีดยาสวน", "ฉีดยาทุเรียน", "โดรนพ่นยา", "ฉีดพ่น", "pesticide", "herbicide",
    ), fallback=("มลพิษ", "สิ่งแวดล้อม", "pollution", "environment")),
    Concept("quarry", ("โรงโม่", "โม่หิน", "เหมืองหิน", "ระเบิดหิน", "quarr"), (
        "โรงโม่", "โรงโม่หิน", "โม่หิน", "เหมืองหิน", "ระเบิดหิน", "ระเบิดภูเขา", "แรงสั่นสะเทือน", "ฝุ่นหิน", "รถขนหิน",
        "รถหิน", "บ้านร้าวเพราะระเบิด", "quarry",
    ), fallback=("เหมืองแร่", "เหมือง", "mine", "mining", "มลพิษ", "สิ่งแวดล้อม", "pollution", "environment")),
    Concept("forest", ("ป่าไม้", "ทรัพยากรป่า", "ป่าสงวน", "อุทยาน", "forest", "forestry"), (
        "ตัดไม้", "ลักลอบตัดไม้", "เลื่อยยนต์", "รถขนไม้", "ไม้เถื่อน", "บุกรุกป่า", "ไถป่า", "ถางป่า", "แผ้วถาง",
        "ป่าสงวน", "เขตอุทยาน", "ในป่า", "ตัดต้นไม้ใหญ่", "ล่าสัตว์", "ยิงนก", "illegal logging", "logging",
    ), fallback=("ทรัพยากรธรรมชาติ", "สิ่งแวดล้อม", "natural resources", "environment")),
    Concept("mining", ("ทรัพยากรธรรมชาติ", "natural resources"), (
        "ดูดทราย", "เรือดูดทราย", "เครื่องดูดทราย", "ตักทราย", "ขุดทราย", "รถขนทราย", "บ่อดิน", "ขุดดินขาย", "ขุดหน้าดิน", "sand mining",
    )),
    Concept("registry", ("ทะเบียนราษฎร", "ทะเบียนบ้าน", "civil registration"), (
        "บ้านเลขที่", "เลขที่บ้าน", "ทะเบียนบ้าน", "บัตรประชาชน", "แจ้งตาย", "แจ้งเกิด", "สูติบัตร", "ย้ายทะเบียน", "ทำบัตร",
    )),
    Concept("cables", ("สายสื่อสาร", "สายเคเบิ้ล", "สายโทรศัพท์", "cable"), (
        "สายสื่อสาร", "สายเคเบิ้ล", "สายเคเบิล", "สายโทรศัพท์", "สายเน็ต", "สายอินเทอร์เน็ต", "สายห้อย", "สายพาด",
        "สายตึง", "สายพันกัน", "cable",
    )),  # telephone and internet lines are no power line: other, where no type names them
    Concept("signs", ("ป้ายโฆษณา", "ป้ายหาเสียง", "signboard", "billboard"), (
        "ป้ายหาเสียง", "ป้ายผิดกฎหมาย", "ป้ายบังตา", "billboard",
    )),
    Concept("transport", ("การเดินทาง", "ขนส่งสาธารณะ", "รถโดยสาร", "public transport", "bus"), (
        "รถสองแถว", "รถโดยสาร", "รถเมล์", "รถประจำทาง", "รถตู้โดยสาร", "รถรับส่งนักเรียน", "รถรับส่ง", "รถตู้รับส่ง", "ไม่มีรถเข้า", "bus",
    )),
    Concept("trees", ("ต้นไม้", "tree"), (
        "ต้นไม้ล้ม", "ต้นไม้โค่น", "ต้นไม้ใหญ่", "กิ่งไม้", "กิ่งไม้หัก", "ตัดต้นไม้", "ตัดกิ่ง", "ตัดแต่งกิ่ง", "ไม้ล้ม",
        "fallen tree", "tree", "ตายยืนต้น", "ขึ้นรก", "รกทาง", "กิ่งไม้ยื่น",
    ), own_kind=False),  # else a fallen tree is the road's or the power line's
    Concept("traffic", ("จราจร", "traffic"), (
        "ไฟจราจร", "สัญญาณไฟจราจร", "สัญญาณไฟ", "ไฟกระพริบสี่แยก", "สี่แยก", "ไฟแดง", "ป้ายจราจร", "รถติด", "ขับรถเร็ว", "ขับเร็ว", "ทางม้าลาย",
        "ลูกระนาด", "เนินชะลอความเร็ว", "วิ่งเร็ว", "รถตืด", "ป้ายเตือน", "ป้ายบอกทาง", "ตีเส้น", "จำกัดความเร็ว", "กระจกโค้ง",
        "traffic", "traffic light",
    ), own_kind=False),
    Concept("obstruction", ("กีดขวาง", "obstruct", "encroach"), (
        "กีดขวาง", "ขวางทาง", "วางของขวาง", "ตั้งแผง", "จอดรถขวาง", "จอดขวาง", "รุกล้ำทางเท้า", "รุกล้ำที่สาธารณะ",
        "ปิดถนน", "ปิดทาง", "ล้ำออกมา", "รุกทางสาธารณะ", "จอดเต็ม", "จอดเรียง", "ตั้งโต๊ะ", "กองวัสดุ", "กองเต็มถนน", "จอดค้างคืน", "จอดซ้อนคัน", "จอดบนถนน", "บังทาง",
        "obstruction",
    ), fallback=("จราจร", "traffic"), own_kind=False),
    Concept("coast", ("ชายฝั่ง", "กัดเซาะ", "ตลิ่ง", "coast", "erosion", "riverbank"), (
        "ลงทะเล", "ริมหาด", "ตลิ่งทรุด", "ตลิ่งแม่น้ำ", "ตลิ่งพังลง",
        "กัดเซาะชายฝั่ง", "คลื่นกัดเซาะ", "ชายฝั่งพัง", "ชายหาด", "หาดพัง", "ตลิ่งกัดเซาะ", "กัดเซาะ", "erosion",
        "กินฝั่ง", "คลื่นซัด", "น้ำทะเลซัด", "ทะเลกิน", "หาดทรายหาย", "ริมทะเล", "เขื่อนกันคลื่น",
    ), own_kind=False),
    Concept("land", ("ที่ดิน", "land use", "land dispute"), (
        "รุกล้ำ", "บุกรุกที่ดิน", "หลักเขต", "เวนคืน", "แนวเขตที่ดิน", "รุกที่", "รังวัด", "หนองสาธารณะ", "ที่สาธารณะ",
        "ถมที่", "ปิดทางเดิน", "เขตที่ดิน", "โฉนด", "ข้อพิพาท", "ที่ทำกิน", "land dispute",
        "ทะเลาะกับเพื่อนบ้าน", "มีเรื่องกับเพื่อนบ้าน", "เอารั้วมาปิด", "ล้อมรั้วปิด", "ปิดทางเข้าบ้าน", "ทางเข้าออก",
    )),
)
"""Common problems and the words for them; a directory without such a category files a problem of its own
kind under its catch-all (``own_kind``) and ignores the rest."""

ANCHORS = frozenset(anchor for concept in CONCEPTS for anchor in concept.anchors + concept.fallback)
"""The words that tie a category to a concept (``ต้นไม้``, ``สัตว์``)."""

EFFECT_WORDS = frozenset((
    "ผ่านไม่ได้", "ผ่านบ่ได้", "สัญจรไม่ได้", "สัญจรบ่ได้", "ไปมาไม่ได้", "ข้ามไม่ได้", "ข้ามบ่ได้",
    "ไม่มีไฟ", "บ่มีไฟ", "มืดทั้ง", "มืดมาก", "มืดสนิท", "มืดตึ้บ",
    "น้ำไม่ไหล", "น้ำบ่ไหล", "ไม่ไหล", "บ่ไหล",
))
"""Words that say what a problem does (can't pass, dark), not what it is: a thing named beside
them (an elephant, a fallen tree, a flood, weeds in a canal) tells the type first."""



@dataclass(frozen=True)
class Frame:
    """A thing (``ทาง``) and what went wrong with it (``ขาด``), at most ``gap`` letters apart in
    one typed word: the type of the category the concept named ``concept`` attaches to."""

    concept: str
    things: tuple[str, ...]
    wrongs: tuple[str, ...]
    gap: int = 12


FRAMES = (
    Frame("road", ("ถนน", "ทาง", "ซอย"), ("ขาด", "พัง", "ยุบ", "ทรุด", "แตก", "ชำรุด", "เป็นหลุม", "เป็นช่อง")),
    Frame("bridge", ("สะพาน", "ขัว"), ("ขาด", "พัง", "ยุบ", "ทรุด", "แตก", "ชำรุด", "ผุ", "หัก")),
    Frame("water", ("ประปา", "ก๊อก", "ท่อน้ำ", "ท่อประปา"), ("ไม่ไหล", "ไม่มา", "ไม่ออก", "แตก", "รั่ว", "เสีย", "ขุ่น", "เหม็น")),
    Frame("power", ("ไฟฟ้า", "ไฟบ้าน", "เสาไฟ", "สายไฟ", "ตู้ไฟ", "หม้อแปลง", "มิเตอร์ไฟ"),
          ("ดับ", "ไม่ติด", "ไม่มา", "ตก", "เสีย", "ขาด", "ล้ม", "เอียง", "หัก", "ช็อต", "ระเบิด", "เสียงดัง", "มีควัน")),
    Frame("trees", ("ต้นไม้", "ต้น", "กิ่ง", "ไม้ไผ่", "ราก"), ("ล้ม", "โค่น", "หัก", "พาด", "ยื่น", "ดัน", "เอน", "เอียง", "โน้ม"), gap=10),
    Frame("drainage", ("ท่อระบาย", "ท่อ", "คูน้ำ", "รางน้ำ"), ("ตัน", "อุดตัน", "เหม็น"), gap=10),
    Frame("livestock", ("วัว", "ควาย", "แพะ", "ม้า"), ("ปล่อย", "เดินบนถนน", "เดินกลางถนน", "เพ่นพ่าน", "ขวาง")),
    Frame("lighting", ("ไฟถนน", "ไฟทาง", "ไฟกิ่ง"), ("ดับ", "ไม่ติด", "เสีย", "ขาด", "กระพริบ")),
)
"""What went wrong, said around other words: the type of the common things that break."""




PASSING = 1 / 4
"""A concept named in a category owned by another with less than this share of the owner's
anchors is only mentioned in passing (the noise of a quarry): the category is not its."""


def attach(categories: list[tuple[str, str, str]], catch_all: str | None) -> dict[str, str]:
    """The category code each concept belongs to, by name, from the directory's categories as
    (code, its code and names, its keywords — lower case). A category is owned by the concept
    whose anchors it holds most (``ไฟฟ้าส่องสว่าง`` the lighting's, ``ไฟฟ้าขัดข้อง`` the power's;
    a keyword counts half a name); a concept takes the category it owns (of several, the one
    whose anchors are most its own), else the one it names most, but not one it only mentions in passing (``เสียง`` in a type for quarries: less than
    ``PASSING`` of what its owner holds); ``fallback`` anchors are tried when no anchor finds one."""
    def strength(concept, anchors, named, keywords):
        for word in concept.unless:
            named, keywords = named.replace(word, " "), keywords.replace(word, " ")
        return sum(len(anchor) * (1 if _holds(named, anchor) else 0.5) for anchor in anchors
                   if _holds(named, anchor) or _holds(keywords, anchor))

    owner, held, total = {}, {}, {}
    for code, named, keywords in categories:
        best = max(CONCEPTS, key=lambda concept: strength(concept, concept.anchors, named, keywords))
        held[code] = strength(best, best.anchors, named, keywords)
        total[code] = sum(strength(concept, concept.anchors, named, keywords) for concept in CONCEPTS)
        if held[code]:
            owner[code] = best.name
    attached = {}
    for concept in CONCEPTS:
        for anchors in (concept.anchors, concept.fallback):
            found = [(code, strength(concept, anchors, named, keywords)) for code, named, keywords in categories
                     if code != catch_all]
            found = [(code, score) for code, score in found
                     if score and (owner.get(code, concept.name) == concept.name or score >= PASSING * held[code])]
            if found:
                attached[concept.name] = max(found, key=lambda item: (
                    owner.get(item[0]) == concept.name, item[1] / total[item[0]] if total[item[0]] else 0, item[1]))[0]
                break
        else:
            if concept.own_kind and catch_all:
                attached[concept.name] = catch_all
    return attached


def _holds(said: str, anchor: str) -> bool:
    """True when ``said`` holds ``anchor``: an English one as a word (``street`` holds no ``tree``)."""
    if anchor.isascii():
        return re.search(rf"\b{re.escape(anchor)}", said) is not None
    return anchor in said
