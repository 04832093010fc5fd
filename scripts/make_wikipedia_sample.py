#!/usr/bin/env python3
"""Writes a deterministic, wikipedia-like JSON-lines file (gzipped when the
name ends in .gz) with the columns of Druid's quickstart `wikipedia` data.

Usage: scripts/make_wikipedia_sample.py OUTPUT [ROWS]

Druid's tutorial reads https://druid.apache.org/data/wikipedia.json.gz; this
machine has no internet, so the README's walkthrough uses this file instead.
Same seed, same bytes.
"""
import gzip
import json
import random
import sys
import time

CHANNELS = [("#en.wikipedia", "en"), ("#de.wikipedia", "de"), ("#fr.wikipedia", "fr"), ("#ja.wikipedia", "ja"),
            ("#es.wikipedia", "es"), ("#it.wikipedia", "it")]
CITIES = [("Buenos Aires", "AR", "Argentina", "C", "Buenos Aires F.D."), ("Paris", "FR", "France", "IDF", "Ile-de-France"),
          ("Tokyo", "JP", "Japan", "13", "Tokyo"), ("Berlin", "DE", "Germany", "BE", "Berlin"),
          ("New York", "US", "United States", "NY", "New York"), (None, None, None, None, None)]
PAGES = ["Main Page", "Talk:Oswald Tilghman", "Apache Druid", "Stonehenge", "Swift (programming language)", "Paris",
         "List of rivers", "Wikipedia:Sandbox", "User:Example", "Template:Infobox"]
USERS = ["GELongstreet", "Lsjbot", "BlueMoon2662", "Diannaa", "Kolega2357", "CitationBot", "Nemo bis", "Jeff G."]


def bucket(delta):
    lo = (delta // 100) * 100
    return f"{lo}-{lo + 99}"


def row(rng, i, rows):
    channel, lang = CHANNELS[rng.randrange(len(CHANNELS))]
    city, iso, country, region_iso, region = CITIES[rng.randrange(len(CITIES))]
    added = rng.choice([0, 0, rng.randrange(1, 50), rng.randrange(50, 2000)])
    deleted = rng.choice([0, 0, 0, rng.randrange(1, 300)])
    delta = added - deleted
    # Spread over 2015-09-12 (one day, like the Druid sample), in time order.
    ms = 1442016000000 + (86_400_000 * i) // max(rows, 1) + rng.randrange(0, 1000)
    secs, millis = divmod(ms, 1000)
    ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + f".{millis:03d}Z"
    anonymous = city is not None
    comment = rng.choice(["/* Early life */ typo", "Reverted edits", "added citation", "", "→‎History"])
    return {
        "timestamp": ts,
        "channel": channel,
        "cityName": city,
        "comment": comment,
        "commentLength": len(comment),
        "countryIsoCode": iso,
        "countryName": country,
        "deleted": deleted,
        "delta": delta,
        "deltaBucket": bucket(delta),
        "diffUrl": f"https://{lang}.wikipedia.org/w/index.php?diff={700000000 + i}",
        "flags": rng.choice(["", "M", "B", "NB", "!"]),
        "isAnonymous": "true" if anonymous else "false",
        "isMinor": rng.choice(["true", "false"]),
        "isNew": rng.choice(["true", "false", "false"]),
        "isRobot": rng.choice(["true", "false", "false", "false"]),
        "isUnpatrolled": rng.choice(["true", "false"]),
        "metroCode": None,
        "namespace": rng.choice(["Main", "Talk", "User", "Wikipedia", "Template"]),
        "page": PAGES[rng.randrange(len(PAGES))],
        "regionIsoCode": region_iso,
        "regionName": region,
        "user": "%d.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(256), rng.randrange(256)) if anonymous else USERS[rng.randrange(len(USERS))],
        "added": added,
    }


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 24433
    rng = random.Random(20150912)
    lines = "".join(json.dumps(row(rng, i, rows), ensure_ascii=False) + "\n" for i in range(rows)).encode("utf-8")
    if out.endswith(".gz"):
        with open(out, "wb") as f:
            f.write(gzip.compress(lines, compresslevel=6, mtime=0))
    else:
        with open(out, "wb") as f:
            f.write(lines)


if __name__ == "__main__":
    main()
