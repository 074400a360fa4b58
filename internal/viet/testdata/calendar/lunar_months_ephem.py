#!/usr/bin/env python3
"""Writes lunar_months_ephem.txt: the first day of every Vietnamese lunar month
from 1900 to 2100, computed independently of Hồ Ngọc Đức's series with PyEphem
(VSOP87 and ELP 2000 ephemerides; Debian package python3-ephem).

Rules (the Vietnamese calendar, reckoned in UTC+7):
  - a month starts on the day, in UTC+7, of the new moon;
  - month 11 is the month that contains the December solstice;
  - when there are 13 months from one month 11 to the next, the first of them
    (after month 11) in which the sun enters no new 30° sector of longitude
    (no major solar term) is the leap month and repeats the previous number.

Not run by the tests; run it by hand:  python3 lunar_months_ephem.py > lunar_months_ephem.txt
"""
import math
import ephem

TZ = 7 / 24


def jd(d):
    return float(d) + 2415020.0


def day_number(ed):
    """Julian day number of the UTC+7 day of an ephem date."""
    return math.floor(jd(ed) + 0.5 + TZ)


def sector(jdn):
    """30° sector (0–11) of the sun's apparent longitude at 00:00 UTC+7 of day jdn."""
    t = ephem.Date(jdn - 0.5 - TZ - 2415020.0)
    s = ephem.Sun()
    s.compute(t)
    lon = ephem.Ecliptic(ephem.Equatorial(s.g_ra, s.g_dec, epoch=t), epoch=t).lon
    return int(math.floor(math.degrees(lon) / 30)) % 12


def iso(jdn):
    y, m, d, _, _, _ = ephem.Date(jdn - 2415020.0).tuple()
    return "%04d-%02d-%02d" % (y, m, d)


new_moons = []
d = ephem.Date("1898/10/1")
while d < ephem.Date("2102/3/1"):
    d = ephem.next_new_moon(d)
    new_moons.append(day_number(d))
    d = ephem.Date(d + 1)


def month11(y):
    solstice = day_number(ephem.next_solstice(ephem.Date("%d/12/1" % y)))
    return max(n for n in new_moons if n <= solstice)


print("# lunar_year month leap(L|-) first_day  -- from lunar_months_ephem.py (PyEphem, UTC+7)")
for y in range(1899, 2101):
    i0, i1 = new_moons.index(month11(y)), new_moons.index(month11(y + 1))
    months = new_moons[i0:i1]
    leap = None
    if len(months) == 13:
        for i in range(1, 13):
            if sector(months[i]) == sector(new_moons[i0 + i + 1]):
                leap = i
                break
    number, year = 11, y
    for i, start in enumerate(months):
        if i > 0 and i != leap:
            number += 1
            if number == 13:
                number, year = 1, y + 1
        first = iso(start)
        if "1900-01-01" <= first <= "2100-12-31":
            print("%d %d %s %s" % (year, number, "L" if i == leap else "-", first))
