"""Publication dates written in a page: ISO 8601 or Vietnamese date lines.

"Thứ bảy, 12/10/2024 - 18:30", "Cập nhật: 18:30 14-01-2025", "Thứ Bảy, ngày 12 tháng 10
năm 2024 14:30", "2025-10-22T19:25:52+07:00".  A time without a zone is Vietnam's (+07:00).
``is_date_line`` tells a line that is only such a date ("Cập nhật: …", "Đăng lúc …") —
page furniture, never article text.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7))
DATE_TEXT = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d\d)(?!\d)")
_LONG_DATE = re.compile(r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2}),?\s+năm\s+((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_TIME_TEXT = re.compile(r"(?<![\d/.-])([01]?\d|2[0-3])\s*[:h]\s*([0-5]\d)(?::[0-5]\d)?(?!\d)")
_LABELS = re.compile(
    r"lượt\s+(xem|đọc)\s*:?\s*[\d.,]+|thứ\s+(hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật|cập\s+nhật|ngày\s+đăng|"
    r"đăng\s+lúc|đăng|ngày|lúc|"
    r"giờ|gmt\s*[+-]\s*\d+|\(|\)|[|,:\-–—/.]|am|pm|sa|ch",
    re.IGNORECASE)


def find_date(text: str) -> re.Match[str] | None:
    """The day/month/year in a line, numeric ("12/10/2024") or long ("12 tháng 10 năm 2024")."""
    return DATE_TEXT.search(text) or _LONG_DATE.search(text)


def parse_datetime(value: str | None) -> datetime | None:
    """ISO 8601, or a Vietnamese date line; naive = +07:00; None when there is no date."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        m = find_date(value)
        if not m:
            return None
        t = _TIME_TEXT.search(value[: m.start()] + " " + value[m.end():])
        try:
            dt = datetime(int(m.group(3)), int(m.group(2)), int(m.group(1)),
                          int(t.group(1)) if t else 0, int(t.group(2)) if t else 0)
        except ValueError:
            return None
    return dt if dt.tzinfo else dt.replace(tzinfo=VN_TZ)


def is_date_line(text: str) -> bool:
    """A short line that says only when ("Cập nhật: 09:15 14-01-2025", "Thứ tư, 20/11/2024")."""
    if len(text) > 70 or not (m := find_date(text)):
        return False
    rest = text[: m.start()] + " " + text[m.end():]
    rest = _LABELS.sub(" ", _TIME_TEXT.sub(" ", rest))
    return not rest.strip()
