#!/usr/bin/env python3
"""Adds the request headers a site's log may hold to a combined log, as three more quoted
fields: the Cookie, the Accept and the Accept-Language headers (Apache's
%{Cookie}i %{Accept}i %{Accept-Language}i). Each visitor (client address) keeps one set of
cookies of the shapes sites set: analytics (_ga, _gid, _ga_<id>, _fbp, _hjSessionUser),
sessions (PHPSESSID, JSESSIONID), consent managers (OptanonConsent, CookieConsent), a cart
as URL-encoded JSON, WordPress's logged-in and settings cookies, language and currency; a tenth
send none ("-"). The values are made up in those shapes, not taken from real traffic: a
stress test of what CRS's cookie rules make of them, not a benign corpus.

Usage: bench/add-headers.py IN OUT (deterministic: the same IN gives the same OUT)."""
import base64
import hashlib
import random
import sys

ACCEPTS = [
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8",
    "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    "application/json, text/plain, */*",
    "*/*",
    "text/css,*/*;q=0.1",
]
LANGUAGES = ["en-US,en;q=0.9", "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", "fr-FR,fr;q=0.9",
             "zh-CN,zh;q=0.9", "es-ES,es;q=0.9,en;q=0.8", "ru-RU,ru;q=0.9,en-US;q=0.8",
             "ja,en-US;q=0.9,en;q=0.8", "pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7"]


def cookies(rnd, t):
    """One visitor's cookies, in the shapes real sites set them."""
    if rnd.random() < 0.1:
        return "-"
    c = []
    if rnd.random() < 0.8:
        c.append("_ga=GA1.2.%d.%d" % (rnd.randrange(10**8, 10**9), t - rnd.randrange(10**6)))
        c.append("_gid=GA1.2.%d.%d" % (rnd.randrange(10**8, 10**9), t))
    if rnd.random() < 0.5:
        c.append("_ga_%s=GS1.1.%d.%d.1.%d.0.0.0" % (
            "".join(rnd.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10)), t,
            rnd.randrange(1, 40), t + rnd.randrange(600)))
    if rnd.random() < 0.4:
        c.append("_fbp=fb.1.%d.%d" % (t * 1000 + rnd.randrange(1000), rnd.randrange(10**9)))
    if rnd.random() < 0.3:
        hj = '{"id":"%s","created":%d,"existing":true}' % (
            "%08x-%04x-%04x" % (rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(16)),
            t * 1000)
        c.append("_hjSessionUser_%d=%s" % (rnd.randrange(10**6, 10**7),
                                           base64.b64encode(hj.encode()).decode()))
    if rnd.random() < 0.6:
        c.append("PHPSESSID=" + "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                                        for _ in range(26)))
    elif rnd.random() < 0.5:
        c.append("JSESSIONID=%032X" % rnd.getrandbits(128))
    if rnd.random() < 0.3:
        consent = ("isGpcEnabled=0&datestamp=Sun+Feb+10+2013+11%%3A00%%3A00+GMT%%2B0100+(Central+"
                   "European+Standard+Time)&version=6.33.0&isIABGlobal=false&hosts=&consentId="
                   "%08x-%04x-4%03x-a%03x-%012x&interactionCount=1&landingPath=NotLandingPage&"
                   "groups=C0001%%3A1%%2CC0002%%3A1%%2CC0003%%3A%d%%2CC0004%%3A%d") % (
            rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(12), rnd.getrandbits(12),
            rnd.getrandbits(48), rnd.randrange(2), rnd.randrange(2))
        c.append("OptanonConsent=" + consent)
        c.append("OptanonAlertBoxClosed=2013-02-%02dT10:%02d:00.000Z" % (
            rnd.randrange(1, 10), rnd.randrange(60)))
    elif rnd.random() < 0.4:
        stamp = base64.b64encode(rnd.randbytes(30)).decode()
        c.append("CookieConsent={stamp:%%27%s%%27%%2Cnecessary:true%%2Cpreferences:%s%%2C"
                 "statistics:%s%%2Cmarketing:false%%2Cmethod:%%27explicit%%27%%2Cver:1%%2C"
                 "utc:%d%%2Cregion:%%27de%%27}" % (stamp, rnd.choice(["true", "false"]),
                                                    rnd.choice(["true", "false"]), t * 1000))
    if rnd.random() < 0.2:
        items = ",".join('{"id":%d,"qty":%d}' % (rnd.randrange(1, 5000), rnd.randrange(1, 4))
                         for _ in range(rnd.randrange(1, 4)))
        cart = '{"items":[%s],"currency":"EUR"}' % items
        c.append("cart=" + "".join(ch if ch.isalnum() else "%%%02X" % ord(ch) for ch in cart))
    if rnd.random() < 0.05:
        user = rnd.choice(["admin", "editor", "jane.doe", "o'brien"])
        token = hashlib.sha256(str(rnd.random()).encode()).hexdigest()
        c.append("wordpress_logged_in_%s=%s%%7C%d%%7C%s%%7C%s" % (
            hashlib.md5(b"site").hexdigest(), user.replace("'", "%27"), t + 172800,
            token[:43], token[:64]))
        c.append("wp-settings-1=libraryContent%3Dbrowse%26editor%3Dtinymce%26hidetb%3D1")
        c.append("wp-settings-time-1=%d" % t)
    if rnd.random() < 0.3:
        c.append("lang=" + rnd.choice(["en", "de", "fr", "zh-CN", "pt-BR"]))
    if rnd.random() < 0.2:
        c.append("currency=" + rnd.choice(["EUR", "USD", "GBP", "CNY"]))
    return "; ".join(c) if c else "-"


def main():
    src, dst = sys.argv[1], sys.argv[2]
    rnd = random.Random(1)
    visitors = {}
    t0 = 1359676800  # 2013-02-01
    with open(src, encoding="utf-8", errors="surrogateescape") as f, \
            open(dst, "w", encoding="utf-8", errors="surrogateescape") as out:
        for n, line in enumerate(f):
            line = line.rstrip("\n")
            ip = line.split(" ", 1)[0]
            v = visitors.get(ip)
            if v is None:
                if len(visitors) > 200000:
                    visitors.clear()
                v = (cookies(rnd, t0 + n), rnd.choice(ACCEPTS), rnd.choice(LANGUAGES))
                visitors[ip] = v
            out.write('%s "%s" "%s" "%s"\n' % (line, v[0].replace('"', '\\"'), v[1], v[2]))


if __name__ == "__main__":
    main()
