"""A synthetic corpus of Vietnamese provincial health news, for the search and export
benchmarks.  Text is drawn from a Zipf distribution over real Vietnamese words and
phrases (common function words first, topical health/administration terms next, a long
tail of syllable pairs), with the names of provinces, hospitals and officials mixed in, so
the term distribution of the full-text index looks like the real corpus.

Rows go straight into the SQLite tables in batches (no extraction): articles (with a
vnnews.record/1 JSON), hospitals, officials, periods, figures, agreements and their
parties, the folded FTS index, and ~2 % of articles marked as republished copies.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from pathlib import Path

import numpy as np

from corpus.store import Corpus
from extract import SCHEMA, fold_search

COMMON = """của và các có được cho trong với là đã những người này một không đến về tại theo cũng
như từ khi để nhiều sẽ đó năm nhằm thực hiện công tác tỉnh huyện xã đồng thời trên hơn ngày tháng
triển khai tổ chức đơn vị cơ quan đề nghị chỉ đạo quan tâm tiếp tục nâng cao chất lượng hiệu quả
phát triển kinh tế xã hội nhân dân cán bộ đảng viên chính quyền địa phương thành phố trung ương
hoạt động kết quả nhiệm vụ giải pháp tăng cường đẩy mạnh đảm bảo kế hoạch chương trình dự án""".split()
TOPICAL = """y tế|bệnh viện|khám chữa bệnh|bác sĩ|điều dưỡng|bệnh nhân|người bệnh|trạm y tế|chuyển giao
kỹ thuật|hợp tác|ký kết|thỏa thuận|biên bản ghi nhớ|chuyển đổi số|bệnh án điện tử|phẫu thuật|ghép tạng
|tiêm chủng|vắc xin|dịch bệnh|sốt xuất huyết|sức khỏe|chăm sóc|y tế cơ sở|bảo hiểm y tế|trang thiết bị
|nhân lực|đào tạo|bác sĩ trẻ|tình nguyện|khám sàng lọc|miễn phí|hỗ trợ|đầu tư|ngân sách|tỷ đồng|giường bệnh
|cấp cứu|hồi sức|ung bướu|tim mạch|sản nhi|truyền máu|xét nghiệm|dược phẩm|an toàn thực phẩm|dinh dưỡng
|người cao tuổi|trẻ em|phụ nữ|đồng bào dân tộc|vùng sâu vùng xa|miền núi|biên giới|hải đảo|giai đoạn
|Ủy ban nhân dân|Sở Y tế|Bộ Y tế|Hội đồng nhân dân|Mặt trận Tổ quốc|lãnh đạo|Giám đốc|Phó Giám đốc
|Chủ tịch|Phó Chủ tịch|Bí thư|Bộ trưởng|Thứ trưởng|đoàn công tác|làm việc|hội nghị|tọa đàm|lễ ra mắt
|khánh thành|khởi công|trao tặng|quà|học bổng|nghèo|cận nghèo|chính sách|an sinh|việc làm|nông nghiệp
|giáo dục|học sinh|trường học|giao thông|du lịch|môi trường|biến đổi khí hậu|thiên tai|lũ lụt|mưa bão""".replace("\n", "").split("|")
PROVINCES = """Nghệ An|Hà Tĩnh|Thanh Hóa|Bắc Ninh|Đà Nẵng|Quảng Nam|Quảng Ngãi|Bình Định|Phú Yên|Khánh Hòa
|Lâm Đồng|Đắk Lắk|Gia Lai|Kon Tum|Cần Thơ|An Giang|Kiên Giang|Cà Mau|Bạc Liêu|Sóc Trăng|Hải Phòng
|Quảng Ninh|Lào Cai|Yên Bái|Điện Biên|Sơn La|Hòa Bình|Thái Nguyên|Tuyên Quang|Hà Giang|Cao Bằng
|Lạng Sơn|Bắc Giang|Phú Thọ|Vĩnh Phúc|Hưng Yên|Hải Dương|Thái Bình|Nam Định|Ninh Bình|Hà Nam
|Quảng Bình|Quảng Trị|Thừa Thiên Huế|Bình Thuận|Ninh Thuận|Tây Ninh|Bình Dương|Đồng Nai|Long An""".replace("\n", "").split("|")
HOSPITALS = ["Bệnh viện Bạch Mai", "Bệnh viện Chợ Rẫy", "Bệnh viện Hữu nghị Việt Đức", "Bệnh viện Nhi Trung ương",
             "Bệnh viện K", "Bệnh viện Trung ương Huế", "Bệnh viện Đa khoa Trung ương Cần Thơ",
             "Bệnh viện Phụ sản Trung ương", "Bệnh viện Mắt Trung ương", "Bệnh viện Nội tiết Trung ương"]
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đinh Trịnh".split()
MIDDLE = "Văn Thị Đức Minh Hồng Thanh Quang Xuân Ngọc Hữu Công Bá Kim Thu".split()
GIVEN = "Luận Lan Hùng Dũng Hải Sơn Tuấn Hương Hà Long Nam Bình An Phong Trung Thắng Lâm Khánh".split()
SYLLABLES = """an anh ba bac ban bang bao bat bay be ben bi bien binh bo bong bu ca cach cai cam can cao
chi chieu chinh cho chu chuong co con cong cu cuong da dai dan dang danh dao dat day de den dia dien dinh
do doan doi don dong du dung duong gia giang giao gio ha hai han hang hanh hao hau hieu hinh hoa hoc hoi
hong hop hu hung huong huy ke khai khang khanh khoa khong ki kien kim la lac lai lam lan lang le lien linh
loc loi long luan luc luong ly ma mai man manh minh moc moi mon muc nam nang nga ngan nghe nghia ngoc
nguyen nha nhan nhat nhu ninh no noi pha phan phat phong phu quan quang que qui sa sang sinh son tai tam
tan tang thai thanh thao the thi thien thinh tho thu thuan thuong tien tin toan trach tri trinh truong tu
tuan tuong uy van viet vinh vu xa xuan yen""".split()
TOP_TERMS = COMMON + TOPICAL


def _vocabulary(rng: random.Random, tail: int = 12000) -> list[str]:
    """Common words, then topical phrases, then a long tail of two-syllable words."""
    seen = set(TOP_TERMS)
    words = list(TOP_TERMS)
    while len(words) < len(TOP_TERMS) + tail:
        w = f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


class Generator:
    """Draws sentences, titles and whole articles from the Zipf-distributed vocabulary."""

    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.words = _vocabulary(self.rng)
        ranks = np.arange(1, len(self.words) + 1)
        p = 1.0 / ranks ** 1.05
        self.p = p / p.sum()
        self._buf = np.empty(0, dtype=np.int64)
        self._pos = 0

    def _draw(self, n: int) -> np.ndarray:
        if self._pos + n > len(self._buf):
            self._buf = self.np.choice(len(self.words), size=1_000_000, p=self.p)
            self._pos = 0
        self._pos += n
        return self._buf[self._pos - n:self._pos]

    def _name(self) -> str:
        r = self.rng
        return f"{r.choice(SURNAMES)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"

    def sentence(self, n: int, extras: list[str]) -> str:
        idx = self._draw(n)
        words = [self.words[i] for i in idx]
        for extra in extras:
            words.insert(self.rng.randrange(len(words) + 1), extra)
        text = " ".join(words)
        return text[:1].upper() + text[1:] + "."

    def article(self, i: int) -> dict:
        r = self.rng
        province = r.choice(PROVINCES)
        hospitals = r.sample(HOSPITALS, k=r.choice((0, 1, 1, 2)))
        official = self._name()
        start = r.randrange(2015, 2027)
        period = (start, start + r.choice((1, 2, 3, 5, 10)))
        extras = [province, *hospitals, official, f"giai đoạn {period[0]}-{period[1]}"]
        title = self.sentence(r.randint(7, 14), extras[:2])[:-1]
        lead = self.sentence(r.randint(18, 30), extras[:3])
        paragraphs = []
        for _ in range(r.randint(3, 6)):
            sents = [self.sentence(r.randint(10, 26), [r.choice(extras)] if r.random() < 0.5 else [])
                     for _ in range(r.randint(2, 4))]
            paragraphs.append(" ".join(sents))
        day = time.gmtime(1420070400 + i * (3600 * 24 * 3650 // 200_000) + r.randrange(86400))
        return {"i": i, "province": province, "hospitals": hospitals, "official": official, "period": period,
                "title": title, "lead": lead, "paragraphs": paragraphs,
                "published": time.strftime("%Y-%m-%dT%H:%M:00+07:00", day)}


def _site(province: str) -> str:
    return fold_search(province).replace(" ", "") + "tv.vn"


def _record_json(a: dict, url: str, site: str, text: str) -> str:
    return json.dumps({
        "schema": SCHEMA, "url": url, "site": site, "province": a["province"], "title": a["title"],
        "lead": a["lead"], "published": a["published"], "published_month": a["published"][:7], "authors": [],
        "category": None, "tags": [], "text": text, "captions": [], "paragraphs": a["paragraphs"],
        "dates": [], "officials": [], "hospitals": [], "periods": [], "figures": [], "agreements": [],
        "extractor": "synthetic"}, ensure_ascii=False)


def _extras(a: dict, text: str) -> tuple[list, list, list]:
    """Figures (one to three) and, when a hospital is named, an agreement with its parties."""
    i = a["i"]
    figures = [(i, f"hơn {n} bác sĩ", float(n), "bác sĩ", "hơn", 0, 0) for n in (i % 97 + 3, i % 500 + 10)[: 1 + i % 2]]
    agreements, parties = [], []
    if a["hospitals"]:
        names = [f"UBND tỉnh {a['province']}", a["hospitals"][0]]
        agreements.append((i, i, json.dumps(names, ensure_ascii=False), a["published"][:10], *a["period"],
                           '["chuyển giao kỹ thuật"]', "ký kết", 0, 6))
        parties = [(i, i, k, name, fold_search(name)) for k, name in enumerate(names)]
    return figures, agreements, parties


def _rows(a: dict) -> tuple:
    site = _site(a["province"])
    url = f"https://{site}/tin-tuc/{a['published'][:7].replace('-', '')}/bai-{a['i']}.html"
    text = "\n\n".join([a["title"], a["lead"], *a["paragraphs"]])
    labels = [f"{a['period'][0]}–{a['period'][1]}"]
    article = (a["i"], url, url, site, a["province"], a["title"], a["lead"], text, a["published"],
               a["published"][:7], "[]", None, "[]", f"synthetic-{a['i']}", _record_json(a, url, site, text),
               "synthetic", a["published"], json.dumps(a["hospitals"], ensure_ascii=False),
               json.dumps([a["official"]], ensure_ascii=False), json.dumps(labels, ensure_ascii=False))
    hospitals = [(a["i"], h, fold_search(h), h, text.find(h), text.find(h) + len(h)) for h in a["hospitals"]]
    officials = [(a["i"], a["official"], fold_search(a["official"]), '["Giám đốc Sở Y tế"]', a["official"], 0, 0)]
    periods = [(a["i"], f"giai đoạn {a['period'][0]}-{a['period'][1]}", "giai đoạn", *a["period"], 0, 0)]
    return (article, hospitals, officials, periods, (a["i"], fold_search(a["title"]), fold_search(text)),
            *_extras(a, text))


ARTICLE_COLS = ("id, key, url, site, province, title, lead, text, published, published_month, authors, category, "
                "tags, text_sha256, record, extractor, stored_at, hospital_names, official_names, period_labels")


def _insert(conn: sqlite3.Connection, batch: list[dict]) -> None:
    rows = [_rows(a) for a in batch]
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO articles ({ARTICLE_COLS}) VALUES ({', '.join('?' * 20)})", [r[0] for r in rows])
    conn.executemany("INSERT INTO hospitals VALUES (?, ?, ?, ?, ?, ?)", [h for r in rows for h in r[1]])
    conn.executemany("INSERT INTO officials VALUES (?, ?, ?, ?, ?, ?, ?)", [o for r in rows for o in r[2]])
    conn.executemany("INSERT INTO periods VALUES (?, ?, ?, ?, ?, ?, ?)", [p for r in rows for p in r[3]])
    conn.executemany("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", [r[4] for r in rows])
    conn.executemany("INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?)", [f for r in rows for f in r[5]])
    conn.executemany("INSERT INTO agreements (id, article_id, parties, signed, start_year, end_year, scope, text, "
                     "start, \"end\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [g for r in rows for g in r[6]])
    conn.executemany("INSERT INTO agreement_parties VALUES (?, ?, ?, ?, ?)", [p for r in rows for p in r[7]])
    conn.execute("COMMIT")


def build(path: Path, n: int, batch: int = 5000, seed: int = 1, log=print) -> None:
    """Create a fresh corpus at ``path`` with ``n`` synthetic articles."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    Corpus(str(path)).close()  # schema via the migrations
    gen = Generator(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    started = time.monotonic()
    for lo in range(1, n + 1, batch):
        _insert(conn, [gen.article(i) for i in range(lo, min(n, lo + batch - 1) + 1)])
        if (lo - 1) % (batch * 10) == 0:
            log(f"  {min(n, lo + batch - 1):,} articles ({time.monotonic() - started:.0f} s)")
    # ~2 % republished copies: point them at an earlier article of the same province
    conn.execute("UPDATE articles SET duplicate_of = id - 1, duplicate_similarity = 0.9 WHERE id % 50 = 0")
    log("  optimizing the full-text index …")
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    log(f"  built {n:,} articles in {time.monotonic() - started:.0f} s, {path.stat().st_size / 2**20:,.0f} MB")
