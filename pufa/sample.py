"""A synthetic, clearly labelled (示例) log whose totals reproduce the 2023 report's figures.

Pure and deterministic: the same pufa generates the same entries, in the same order. The counts are
spread over townships, venues and months by a seeded generator, then the last entry of each series is
adjusted so that every total lands on a documented figure (section 九 of the 2023 report, the seed
described in seeds/README.md):
113 法律七进 sessions, 57 宪法 activities with 50000余 materials, 500余 banners, 400余 screen ads and
540余 宪法宣传周 items, 6 major campaigns, 59 法治副校长 giving 110余 school lectures, 11万余 materials
in all, 500余 WeChat items, 18 法律明白人 trainings with 750 trainees and 747 certified, 76 法治讲座,
5 法治大讲堂 sessions with 320余 participants, and 7764 cadres examined, all passing.

Nothing here is a real record: every title starts with 【示例】 and every note says so.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

import pendulum

from pufa.intake import Entry
from pufa.model import County, Kind
from pufa.people import Person

LABEL = "【示例】"
NOTE = "示例数据:按2023年报告(九)的数字合成,非真实记录"

#: the report's totals the 2023 sample reproduces (the figure in the report, then the total used)
TOTALS_2023 = {
    "seven-into": 113,
    "constitution": 57,
    "constitution-materials": 52_380,  # 50000余
    "constitution-banners": 536,  # 500余
    "constitution-screens": 412,  # 400余
    "constitution-week-items": 548,  # 540余
    "campaign": 6,
    "school-lecture": 114,  # 110余
    "lecturers": 59,
    "media-items": 516,  # 500余
    "literate-offline": 18,
    "literate-trainees": 750,
    "literate-certified": 747,
    "lecture": 76,
    "cadre-training": 5,
    "cadre-participants": 326,  # 320余
    "cadre-exam": 7764,
    "materials": 113_640,  # 11万余, all kinds together
}

CAMPAIGNS = (
    ("3·15国际消费者权益日", 3, 15),
    ("4·15全民国家安全教育日", 4, 15),
    ("民法典宣传月", 5, 20),
    ("6·26国际禁毒日", 6, 26),
    ("全国安全生产月", 6, 16),
    ("12·2全国交通安全日", 12, 2),
)
SCHOOL_TERM = (3, 8, 12, 11, 11, 9, 0, 0, 14, 12, 11, 9)
EVEN = (1,) * 12
#: the counts a held activity has and a planned one does not yet
_ACTUALS = (
    "participants",
    "materials",
    "banners",
    "screens",
    "items",
    "trainees",
    "certified",
    "passed",
)


def split(total: int, parts: int, rng: random.Random, low: float = 0.5) -> list[int]:
    """``parts`` positive whole numbers adding up to ``total``, unevenly (seeded)."""
    weights = [low + rng.random() for _ in range(parts)]
    scale = total / sum(weights)
    shares = [max(1, int(w * scale)) for w in weights]
    shares[-1] += total - sum(shares)
    if shares[-1] < 1:  # give the shortfall back from the largest shares
        while shares[-1] < 1:
            biggest = max(range(parts - 1), key=shares.__getitem__)
            shares[biggest] -= 1
            shares[-1] += 1
    return shares


def working_day(year: int, month: int, rng: random.Random) -> pendulum.Date:
    """A Monday–Friday in that month (holidays are the planning issue's job)."""
    first = pendulum.Date(year, month, 1)
    days = [
        first.add(days=d) for d in range(first.days_in_month) if first.add(days=d).day_of_week < 5
    ]
    return rng.choice(days)


def months(count: int, weights: Sequence[int], rng: random.Random) -> list[int]:
    """``count`` months drawn by weight, in calendar order."""
    return sorted(rng.choices(range(1, 13), weights=weights, k=count))


def _entry(kind: str, title: str, **values: str) -> Entry:
    return Entry(kind, {"title": LABEL + title, "note": NOTE, **values})


def year_2023(county: County) -> list[Entry]:
    """The 2023 sample log (all held) reproducing the report's figures."""
    return list(_generate(county, 2023, TOTALS_2023, through=None))


def year_2024(county: County, through: pendulum.Date) -> list[Entry]:
    """A part-year 2024: held records up to ``through`` at an uneven pace, the rest of the year
    planned. Some indicators end up behind their pace on ``through``, some on track."""
    return part_year(county, 2024, through)


def part_year(county: County, year: int, through: pendulum.Date) -> list[Entry]:
    """The same part-year pattern in any year (``benchmarks/web.py`` fills the current year with
    it, so a dashboard of 2026 tallies a realistic log); every entry labelled 【示例】."""
    return list(_generate(county, year, TOTALS_2023, through=through))


class _Sample:
    """One year's sample log, section by section. One seeded generator is drawn in a fixed order
    (the sections run one after another), so the same pufa makes the same entries."""

    def __init__(
        self, county: County, year: int, totals: dict[str, int], through: pendulum.Date | None
    ) -> None:
        self.county, self.year, self.totals, self.through = county, year, totals, through
        self.rng = random.Random(year)
        self.townships = county.townships
        self.materials_left = totals["materials"]  #: what the 法治讲座 get: the rest of the year's

    def status(self, day: pendulum.Date, behind: float = 1.0) -> str | None:
        """Held if done by `through` (and, to make a year run late, only a share of those)."""
        if self.through is None:
            return None
        if day > self.through:
            return "planned"
        return None if self.rng.random() < behind else "planned"

    def with_status(
        self, values: dict[str, str], day: pendulum.Date, behind: float = 1.0
    ) -> dict[str, str]:
        if self.status(day, behind) == "planned":  # a plan carries no actual counts yet
            values = {k: v for k, v in values.items() if k not in _ACTUALS}
            values["status"] = "planned"
        return values

    def seven_into(self) -> Iterator[Entry]:
        """法律七进: 113 sessions over every township and every venue of the county's list"""
        venues = self.county.venues_for(Kind.SEVEN_INTO)
        seven_materials = split(34_000, self.totals["seven-into"], self.rng)
        for n, month in enumerate(months(self.totals["seven-into"], EVEN, self.rng)):
            township = self.townships[n % len(self.townships)]
            venue = venues[(n // len(self.townships) + n) % len(venues)]
            day = working_day(self.year, month, self.rng)
            values = {"date": day.isoformat(), "township": township.code, "venue": venue.slug,
                      "participants": str(self.rng.randint(60, 400)), "materials": str(seven_materials[n])}  # fmt: skip
            yield _entry(
                "seven-into",
                f"法律进{venue.name}:{township.short_name}集中宣传",
                **self.with_status(values, day, 0.75),
            )
        self.materials_left -= 34_000

    def constitution(self) -> Iterator[Entry]:
        """宪法: 57 activities, most in 宪法宣传周 (12-01..07) and on 国家宪法日 (12-04)"""
        constitution_venues = self.county.venues_for(Kind.CONSTITUTION)
        count = self.totals["constitution"]
        c_materials = split(self.totals["constitution-materials"], count, self.rng)
        c_banners = split(self.totals["constitution-banners"], count, self.rng)
        c_screens = split(self.totals["constitution-screens"], count, self.rng)
        week = [n for n in range(count) if n % 8 != 7]  # 50 in the week, 7 earlier in the self.year
        c_items = dict(
            zip(
                week,
                split(self.totals["constitution-week-items"], len(week), self.rng),
                strict=True,
            )
        )
        for n in range(count):
            township = self.townships[n % len(self.townships)]
            venue = constitution_venues[n % len(constitution_venues)]
            if n in c_items:
                day = (
                    pendulum.Date(self.year, 12, 4)
                    if n % 5 == 0
                    else pendulum.Date(self.year, 12, 1 + n % 7)
                )
                occasion = "宪法宣传周"
            else:
                day = working_day(self.year, 3 + n % 9, self.rng)
                occasion = "宪法进万家"
            values = {"date": day.isoformat(), "township": township.code, "venue": venue.slug, "occasion": occasion,
                      "participants": str(self.rng.randint(80, 600)), "materials": str(c_materials[n]),
                      "banners": str(c_banners[n]), "screens": str(c_screens[n])}  # fmt: skip
            if n in c_items:
                values["items"] = str(c_items[n])
            yield _entry(
                "constitution",
                f"宪法进{venue.name}:{township.short_name}{occasion}活动",
                **self.with_status(values, day),
            )
        self.materials_left -= self.totals["constitution-materials"]

    def campaigns(self) -> Iterator[Entry]:
        """6 major campaigns on their days"""
        campaign_materials = split(15_000, len(CAMPAIGNS), self.rng)
        for n, (occasion, month, day_of_month) in enumerate(CAMPAIGNS):
            day = pendulum.Date(self.year, month, day_of_month)
            owner = (
                {"dept": self.county.departments[1].slug}
                if n % 2
                else {"township": self.townships[n * 3].code}
            )
            values = {"date": day.isoformat(), **owner, "occasion": occasion,
                      "participants": str(self.rng.randint(300, 1500)), "materials": str(campaign_materials[n])}  # fmt: skip
            yield _entry("campaign", f"{occasion}集中宣传", **self.with_status(values, day, 0.7))
        self.materials_left -= 15_000

    def school_lectures(self) -> Iterator[Entry]:
        """school lectures: 59 法治副校长、辅导员 giving 114 lectures in term time"""
        lecturers = [f"示例法治副校长{n + 1:02d}号" for n in range(self.totals["lecturers"])]
        school_materials = split(4_500, self.totals["school-lecture"], self.rng)
        for n, month in enumerate(months(self.totals["school-lecture"], SCHOOL_TERM, self.rng)):
            township = self.townships[n % len(self.townships)]
            day = working_day(self.year, month, self.rng)
            values = {"date": f"{day.isoformat()} 09:00", "end": "10:30", "township": township.code,
                      "school": f"{township.short_name}示例学校", "lecturer": lecturers[n % len(lecturers)],
                      "participants": str(self.rng.randint(100, 900)), "materials": str(school_materials[n])}  # fmt: skip
            yield _entry(
                "school-lecture",
                f"{township.short_name}示例学校法治课",
                **self.with_status(values, day),
            )
        self.materials_left -= 4_500

    def literate(self) -> Iterator[Entry]:
        """法律明白人: one directed (offline) training per township, and the online course"""
        trainees = split(
            self.totals["literate-trainees"], self.totals["literate-offline"], self.rng
        )
        certified = split(self.totals["literate-certified"], len(self.townships), self.rng)
        training_materials = split(1_800, len(self.townships), self.rng)
        for n, township in enumerate(self.townships):
            day = working_day(self.year, 3 + (n * 9) // len(self.townships), self.rng)
            values = {"date": day.isoformat(), "township": township.code, "mode": "offline",
                      "trainees": str(trainees[n]), "materials": str(training_materials[n])}  # fmt: skip
            yield _entry(
                "literate-training",
                f"{township.short_name}“法律明白人”定向培训",
                **self.with_status(values, day, 0.6),
            )
            online_day = pendulum.Date(self.year, 11, 30)
            online = {"date": online_day.isoformat(), "township": township.code, "mode": "online",
                      "trainees": str(certified[n] + n % 3), "certified": str(certified[n])}  # fmt: skip
            yield _entry(
                "literate-training",
                f"{township.short_name}“法律明白人”线上培训",
                **self.with_status(online, online_day),
            )
        self.materials_left -= 1_800

    def lectures(self) -> Iterator[Entry]:
        """法治讲座 in villages and communities"""
        lecture_materials = split(self.materials_left, self.totals["lecture"], self.rng)
        for n, month in enumerate(months(self.totals["lecture"], EVEN, self.rng)):
            township = self.townships[(n * 7) % len(self.townships)]
            day = working_day(self.year, month, self.rng)
            values = {"date": day.isoformat(), "township": township.code, "audience": ("村民", "居民", "企业职工")[n % 3],
                      "participants": str(self.rng.randint(30, 200)), "materials": str(lecture_materials[n])}  # fmt: skip
            yield _entry(
                "lecture", f"{township.short_name}法治讲座", **self.with_status(values, day)
            )

    def releases(self) -> Iterator[Entry]:
        """WeChat releases through the year (法治开阳, 诗画开阳)"""
        releases = 43
        items = split(self.totals["media-items"], releases, self.rng)
        for n, month in enumerate(months(releases, EVEN, self.rng)):
            day = working_day(self.year, month, self.rng)
            channel = ("法治开阳 公众号", "诗画开阳 公众号")[n % 2]
            values = {
                "date": day.isoformat(),
                "dept": "justice",
                "channel": channel,
                "items": str(items[n]),
            }
            yield _entry("media-release", f"{channel}普法信息", **self.with_status(values, day))

    def cadre_training(self) -> Iterator[Entry]:
        """leaders: 新时代法治大讲堂, 5 sessions"""
        cadre = split(self.totals["cadre-participants"], self.totals["cadre-training"], self.rng)
        for n in range(self.totals["cadre-training"]):
            day = working_day(self.year, 3 + 2 * n, self.rng)
            values = {
                "date": f"{day.isoformat()} 14:30",
                "end": "17:30",
                "dept": "yfzx",
                "participants": str(cadre[n]),
            }
            yield _entry(
                "cadre-training", f"新时代法治大讲堂(第{n + 1}期)", **self.with_status(values, day)
            )

    def cadre_exam(self) -> Iterator[Entry]:
        """the cadre exam on 法宣在线: one record for the year's sitting"""
        exam_day = pendulum.Date(self.year, 11, 30)
        values = {"date": pendulum.Date(self.year, 6, 1).isoformat(), "end": exam_day.isoformat(), "dept": "justice",
                  "participants": str(self.totals["cadre-exam"]), "passed": str(self.totals["cadre-exam"])}  # fmt: skip
        yield _entry(
            "cadre-exam", "国家工作人员学法用法考试(法宣在线)", **self.with_status(values, exam_day)
        )


def _generate(
    county: County, year: int, totals: dict[str, int], through: pendulum.Date | None
) -> Iterator[Entry]:
    sample = _Sample(county, year, totals, through)
    for section in (
        sample.seven_into,
        sample.constitution,
        sample.campaigns,
        sample.school_lectures,
        sample.literate,
        sample.lectures,
        sample.releases,
        sample.cadre_training,
        sample.cadre_exam,
    ):
        yield from section()


#: the sample roster's phones: 138 0000 0001 upward (the 13800000000 test range, not anyone's number)
PHONE_BASE = 13_800_000_000
ROSTER_NOTE = "示例名册:姓名、手机、证书编号均为虚构"
#: the sample roster's posts and employers, in turn
_POSTS = ("村干部", "调解员", "网格员")
_EMPLOYERS = ("县公安局", "县人民检察院", "县人民法院", "县司法局")


def roster_2023(county: County) -> list[Person]:
    """The synthetic 2023 roster (names 示例人员001…, phones 13800000001…, certificates 示例证书0001…):
    747 certified 法律明白人 — at least 5 in each village, one more in the first villages until 747
    — and 59 法治副校长, one at each listed school but the last (配备率 59 of 60 on 开阳县's list)."""
    villages = [v for place in county.townships for v in place.villages]
    schools = [s for place in county.townships for s in place.schools]
    guides = TOTALS_2023["literate-certified"]
    per_village = [guides // len(villages)] * len(villages)
    for n in range(guides - sum(per_village)):
        per_village[n] += 1
    out: list[Person] = []

    def person(**values: object) -> Person:
        n = len(out) + 1
        return Person(name=f"示例人员{n:03}", phone=str(PHONE_BASE + n), note=ROSTER_NOTE, **values)  # type: ignore[arg-type]

    for village, count in zip(villages, per_village, strict=True):
        for _ in range(count):
            certificate = f"示例证书{len(out) + 1:04}"
            out.append(person(role="guide", village=village.code, post=_POSTS[len(out) % 3],
                              certificate=certificate, certified_on=pendulum.Date(2023, 11, 30)))  # fmt: skip
    for school in schools[: TOTALS_2023["lecturers"]]:
        out.append(person(role="vice-principal", school=school.name,
                          employer=_EMPLOYERS[len(out) % 4], appointed=pendulum.Date(2023, 9, 1)))  # fmt: skip
    return out
