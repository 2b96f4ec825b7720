#!/usr/bin/env python3
"""Are the benign requests CRS flags in Evident flagged by CRS itself?

Reads evident-cli/target/benign-fp.txt (written by BenignTrafficTest: one flagged request a
line, with the rules that matched) and, for every CRS rule there whose operator is @rx and whose
transformations are none or one urlDecodeUni, runs the rule's own pattern with Python's re (a
backtracking engine close to PCRE, which ModSecurity uses) on what ModSecurity hands the rule:
each query argument's name and value decoded once by its parser, then the rule's own
transformations. A request Evident flags that Python's engine does not match would be
Evident's error, not CRS's. Prints, per rule, how many flagged requests the pattern matches.
Usage: bench/crs-fp-crosscheck.py [CRS_RULES_DIR]  (default ../shared/crs/rules)
"""
import collections
import glob
import os
import re
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', 'shared', 'crs',
                                                            'rules')
FLAGGED = os.path.join(HERE, '..', 'evident-cli', 'target', 'benign-fp.txt')


def rule_text(rid):
    """The SecRule of id rid, its first line to the blank line after it."""
    for f in sorted(glob.glob(os.path.join(RULES, '*.conf'))):
        src = open(f, encoding='utf-8').read()
        at = src.find('id:%s,' % rid)
        if at >= 0:
            start = src.rfind('SecRule', 0, at)
            end = src.find('\n\n', at)
            return src[start:end if end > 0 else len(src)]
    return None


def checkable(rid):
    """(pattern, decodes) for an @rx rule with t:none or t:urlDecodeUni only; else None."""
    text = rule_text(rid)
    if text is None or '"@rx ' not in text.split('\n')[0]:
        return None
    first = text.split('\n')[0]
    rx = first[first.index('"@rx ') + 5:]
    rx = rx[:rx.rindex('" \\') if '" \\' in rx else rx.rindex('"')].replace('\\"', '"')
    ts = [t for t in re.findall(r't:([A-Za-z0-9]+)', text) if t != 'none']
    if ts not in ([], ['urlDecodeUni']) or 'chain' in text:
        return None
    try:
        return re.compile(rx), bool(ts)
    except re.error:
        return None


def values(request_line):
    """Each argument's name and value as ModSecurity's parser hands them: decoded once."""
    m = re.search(r'"[A-Z]+ (\S+) HTTP', request_line)
    target = m.group(1) if m else ''
    query = target.split('?', 1)[1] if '?' in target else ''
    out = []
    for pair in query.split('&'):
        if pair:
            name, _, value = pair.partition('=')
            out += [urllib.parse.unquote_plus(name), urllib.parse.unquote_plus(value)]
    return out


def main():
    cache = {}
    counts = collections.defaultdict(lambda: [0, 0])
    for line in open(FLAGGED, encoding='utf-8'):
        parts = line.rstrip('\n').split(' | ')
        if len(parts) < 5 or parts[0] != 'evident+crs':
            continue
        for rid in re.findall(r'(?<![\w-])\d{6}\b', parts[2]):
            if rid not in cache:
                cache[rid] = checkable(rid)
            if cache[rid] is None:
                continue
            pattern, decode = cache[rid]
            vals = [urllib.parse.unquote(v) if decode else v for v in values(parts[4])]
            counts[rid][0] += 1
            counts[rid][1] += any(pattern.search(v) for v in vals)
    print('CRS-FP-CROSSCHECK rule: flagged by Evident, matched by Python re on the same values')
    for rid, (flagged, matched) in sorted(counts.items(), key=lambda kv: -kv[1][0]):
        print('  %s: %d, %d' % (rid, flagged, matched))
    left = sorted(r for r, c in cache.items() if c is None)
    print('  not checked (other operators, transformations or chains): ' + ' '.join(left))


if __name__ == '__main__':
    main()
