"""Segment: normalized text → sections → sentences → clauses, each clause carrying the
status (actual/target), year and period of the place it stands in.

Headings (第一章 / 一、/（一）/ 1、 / a short unnumbered line) open sections; a heading
that announces a plan (工作计划, 工作要点, 明年…) makes its figures targets, one that
announces a summary makes them actual.  Sentences end at 。！？；; clauses at commas and
colons; parentheses holding a number are clauses of their own (parts of a total).
Lines of a text table (| a | b |) become one clause per row.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from .. import patterns
from ..model import Clause
from ..prefilter import guarded, may_match
from .forms import form_end, form_start
from .normalize import HEADING_START
from .status import (
    YEAR,
    YEAR_SPAN_MARKS,
    Context,
    StatusRules,
    clause_period,
    clause_year,
    heading_context,
    marks_in,
    period_of,
    sentence_status,
    span_end,
    status_rules,
    without_list_mark,
    year_at_clause_start,
)
from .tables_text import (
    YEAR_HEAD,
    YEAR_ROW,
    clauses_from_rows,
    form_cells,
    form_clauses,
    is_table_line,
    split_row,
    unit_above,
    year_table_clauses,
)

SENTENCE_SPLIT = patterns.compile(r"[^。！？!?;；\n]*[。！？!?;；]?")
SENTENCE_END = patterns.compile(r"[。！？!?;；]")
CLAUSE_SEP = patterns.compile(r"[,，:：]")
PAREN = patterns.compile(r"[(（][^()（）]*\d[^()（）]*[)）]")
# a month named before what was done in it (图书馆7月入馆人次…; 昨天获悉，7月，…)
# (the comma before a month is matched, not looked behind at: `re` takes the pattern, and
# no month of the first branch can start between the comma and the second's, so the month found is the same)
MONTH_MID = guarded(patterns.compile(r"(?<![\d.年])(1[0-2]|[1-9])\s*月份?(?=\s*(?:入馆|进馆|到馆|接待|借|流通|全月|当月|举办|开展|新增|新办|办证))"
                                     r"|[,，:：]\s*(1[0-2]|[1-9])\s*月份?\s*[,，]"))
HEAD_END = patterns.compile(r"[。!！?？;；,，]")
THOUSANDS_AFTER = patterns.compile(r"\d{3}(?!\d)")
COUNT_BEFORE = patterns.compile(r"\d\s*\p{Han}{1,2}$")
DIGIT_AFTER = patterns.compile(r"\s*\d")
# 5256种,5353册 is one count in two measures; 176359册,2018年新增… starts a new clause
COUNT_AFTER = patterns.compile(r"\s*(?!(?:19|20)\d\d\s*年)\d")
LABEL_VALUE = patterns.compile(r"^\s*([\p{Han}()（）]{2,20}?)(?:[:：]\s*|\s+)(\d[\d,]*(?:\.\d+)?)\s*(\p{Han}{1,3}|TB|GB|㎡|m2)?\s*$")
WHOLE_YEAR = patterns.compile("全年|年度")
SUM_WORDS = patterns.compile("累计|共计|总计|合计")


def heading_level(line: str) -> int | None:
    """0 for a short unnumbered title line, 1 for 第N章, 2 for 一、, 3 for （一）, 4 for 1、."""
    s = line.strip()
    if not s:
        return None
    m = HEADING_START.match(s)
    if m:
        mark = m.group().strip()
        if mark.startswith("第"):
            return 1
        if mark[0] in "一二三四五六七八九十":
            return 2
        if mark[0] in "(（" and mark[1] in "一二三四五六七八九十":
            return 3
        return 4
    if len(s) <= 30 and s[-1] not in "。!！?？;；,，" and not s.startswith("|"):
        return 0
    return None


def segment(text: str, ctx: Context, figures: Sequence[int] | None = None) -> list[Clause]:
    """Clauses of the text.  Headings are followed on every line; sentences are cut
    into clauses only where they hold a figure (`figures`: the start of each figure the
    rules can take, in order; None: everywhere), and of those only the clauses that hold
    one are kept (with table rows, all that binds)."""
    rules = status_rules()
    clauses: list[Clause] = []
    # the open headings: [level, title, (status, year, period) once read]; what a heading
    # says is read only when a line under it needs it (most are closed by the next unread)
    stack: list[list] = []
    lines = text.split("\n")
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1

    def section() -> tuple[str, int | None, str]:
        """Status, year and period of the innermost headings that say one."""
        status = year = period = None
        for entry in reversed(stack):
            says = entry[2]
            if says is None:
                title = entry[1]
                head = title[: stop.start()] if (stop := HEAD_END.search(title)) else title  # up to its first stop
                period = period_of(head, rules)
                says = entry[2] = (*heading_context(head, ctx, rules, period), period)
            st, y, p = says
            status, year, period = status or st, year or y, period or p
            if status and year and period:
                break  # the outer headings change nothing more
        return status or ctx.doc_status, year or ctx.doc_year, period or ctx.doc_period

    sec_status, sec_year, sec_period = section()
    stale = False  # a heading opened since the section was last read
    i = 0
    while i < len(lines):
        line, line_start = lines[i], starts[i]
        if not line or line.isspace():
            i += 1
            continue
        # 项目 | 代码 | 单位 | 指标: a statistics form, in any layout (its header opens with 项)
        if "项" in line and form_start(lines, i):
            if stale:
                (sec_status, sec_year, sec_period), stale = section(), False
            j = form_end(lines, i + 1)
            block_start = starts[i + 1] if i + 1 < len(lines) else len(text)
            block = text[block_start : starts[j - 1] + len(lines[j - 1])] if j > i + 1 else ""
            for c in form_clauses(form_cells(block, block_start), i, unit_above(lines[max(0, i - 6) : i])):
                c.status, c.period, c.year = sec_status, sec_period, sec_year
                clauses.append(c)
            i = j
            continue
        # (its header opens with | or 年 after the line's spaces: most lines open otherwise)
        if (line.lstrip()[:1] in ("|", "年") and YEAR_HEAD.match(line)
                and any(YEAR_ROW.match(ln) for ln in lines[i + 1 : i + 4])):
            if stale:
                (sec_status, sec_year, sec_period), stale = section(), False
            j, rows = i + 1, []  # a table by year: one row a year
            while j < len(lines) and (YEAR_ROW.match(lines[j]) or not lines[j].strip("| \t")):
                if lines[j].strip("| \t"):
                    rows.append((lines[j], starts[j], starts[j] + len(lines[j])))
                j += 1
            for c in year_table_clauses(line, rows, i):
                c.status, c.period = sec_status, ""
                clauses.append(c)
            i = j
            continue
        if ("|" in line or "\t" in line) and is_table_line(line):  # it needs one of them
            j = i
            while j < len(lines) and (is_table_line(lines[j]) or not lines[j].strip("| \t")):
                j += 1
            rows = [(split_row(lines[k]), starts[k], starts[k] + len(lines[k])) for k in range(i, j) if lines[k].strip("| \t")]
            if stale:
                (sec_status, sec_year, sec_period), stale = section(), False
            table = clauses_from_rows(rows, i, sec_year, unit_above(lines[max(0, i - 2) : i]))
            for c in table:
                c.status, c.period = sec_status, sec_period
                c.year = c.year if c.year is not None else sec_year
            clauses.extend(table)
            i = j
            continue
        # 新办读者证  2,318 — a statistics line, read as a one-row table (no part of LABEL_VALUE
        # matches 。 or ，: a line of prose is never one)
        if "。" not in line and "，" not in line and (lv := LABEL_VALUE.match(line)):
            row = ([lv.group(1), lv.group(2), lv.group(3) or ""], line_start, line_start + len(line))
            if stale:
                (sec_status, sec_year, sec_period), stale = section(), False
            for c in clauses_from_rows([row], i, sec_year):
                c.status, c.period, c.year = sec_status, sec_period, sec_year
                clauses.append(c)
            i += 1
            continue
        level = heading_level(line)
        if level is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append([level, line.strip(), None])
            stale = True
        if figures is not None:
            k = bisect_left(figures, line_start)  # (a bisect, not a call of a test: it is asked of every line)
            if k == len(figures) or figures[k] >= line_start + len(line):
                i += 1
                continue
        if stale:
            (sec_status, sec_year, sec_period), stale = section(), False
        # a year (and a month or half) stated before a semicolon holds after it
        # (2021年，…；…), and a sentence opening with 其中 is a part of the one before
        last: tuple[int | None, str] = (sec_year, sec_period)
        carry = last
        unread: list[str] = []  # sentences without a figure since `last`: their years are read when needed
        # (a line with no stop before its last character is one sentence: no split to make;
        # the split's matches run on one from the other: a sentence starts where the one before ends)
        sentences = (line,) if SENTENCE_END.search(line, 0, len(line) - 1) is None else SENTENCE_SPLIT.findall(line)
        sent_end = 0
        for sent in sentences:
            sent_start, sent_end = sent_end, sent_end + len(sent)
            if not sent.strip():
                continue
            if rules.part_at_start.match(sent):
                if unread:
                    last = _after_unread(last, unread, sec_period, ctx, rules)
                carry = last
            # (a sentence that is the whole line holds the line's figure)
            if (figures is None or len(sent) == len(line)
                    or (k := bisect_left(figures, line_start + sent_start)) < len(figures)
                    and figures[k] < line_start + sent_end):
                found, last = _sentence(sent, line_start + sent_start, i, sec_status, sec_year, sec_period, ctx,
                                        rules, carry, figures)
                clauses.extend(found)
                unread.clear()
            else:
                unread.append(sent)
            if sent[-1] in ";；":  # it ends an item (a sentence ends at its mark, or at the line's end)
                if unread:
                    last = _after_unread(last, unread, sec_period, ctx, rules)
                carry = (last[0], last[1] if last[1][:1] in "HQM" else sec_period)
            else:
                carry = (sec_year, sec_period)
            if unread and (last[1] == "span" or sec_period == "span"):  # else it is no span either way
                last = _after_unread(last, unread, sec_period, ctx, rules)
            if last[1] == "span":
                nxt = line[sent_end : sent_end + 40]
                if SUM_WORDS.search(nxt) and not WHOLE_YEAR.search(nxt) and not YEAR.search(nxt):
                    carry = last  # 开馆以来…。新馆累计外借…: the sum goes on over the same stretch
        i += 1
    return clauses


def _after_unread(last: tuple[int | None, str], unread: list[str], sec_period: str, ctx: Context,
                  rules: StatusRules) -> tuple[int | None, str]:
    """The year and period handed on after sentences without a figure: the year the last of
    them to name one names, in the section's period (`last` when none does)."""
    for sent in reversed(unread):
        if (cy := span_end(sent) or clause_year(sent, ctx, rules)) is not None:
            last = (cy, sec_period)
            break
    unread.clear()
    return last


def _clause_bounds(sent: str, a: int, b: int) -> list[int]:
    """Split points at commas and colons, except inside 1,234, in 5256种,5353册 (two
    counts of one thing joined by a comma) and in 总流通人次：56.8万 (a label and its figure)."""
    bounds = [a]
    for m in CLAUSE_SEP.finditer(sent, a, b):
        at, end = m.start(), m.end()
        nxt = sent[end : end + 1]
        if not (nxt.isdigit() or nxt.isspace()):
            pass  # each exception below needs a digit after the mark (after spaces): a split
        elif sent[at] in ":：":
            if DIGIT_AFTER.match(sent[end : end + 4]):
                continue
        # a comma: the cheap tests first (`and` of pure tests, the order does not change the outcome)
        elif (sent[at - 1 : at].isdigit() and at > a and THOUSANDS_AFTER.match(sent[end : end + 4])
              or COUNT_AFTER.match(sent, end) and COUNT_BEFORE.search(sent[max(a, at - 4) : at])):
            continue
        bounds.append(end)
    bounds.append(b)
    return bounds


def _sentence(sent: str, s_start: int, pno: int, sec_status: str, sec_year: int | None, sec_period: str,
              ctx: Context, rules: StatusRules, carried: tuple[int | None, str] | None = None,
              figures: Sequence[int] | None = None) -> tuple[list[Clause], tuple[int | None, str]]:
    """Of a sentence that holds a figure, the clauses that hold one (all of them without
    `figures`: the others bind nothing), and the year and period it hands on to the next
    sentence: the year of its last clause (of its whole when that is a part), the period of
    its whole (its first clause that is no part)."""
    carried_year, sec_period = carried or (sec_year, sec_period)
    # the marks it holds: most of the searches below need one (`not found.isdisjoint(…)`)
    found = marks_in(sent, rules)
    period = period_of(sent, rules, found) if not found.isdisjoint(rules.period_marks) else ""
    # span and whole-year cues in the order they come: the last one before a clause's
    # end decides it (全年…28万，其中4月23日接待…: the whole year, then one day)
    pcues: list[tuple[int, str]] = []
    if not period:
        if not found.isdisjoint(rules.span_dates_marks):
            # without 月, only the branches that do not need it (the same matches, far fewer tries)
            dates, dates_need = (rules.span_dates_no_month if "月" not in sent and rules.span_dates_no_month
                                 else (rules.span_dates, rules.span_dates_need))
            if may_match(dates_need, sent):
                pcues += [(m.start(), "span") for m in dates.finditer(sent)]
        if not found.isdisjoint(rules.holiday_marks) and (m := rules.holiday.match(sent)):
            # (it opens the sentence: one match at most; most sentences name no holiday at all)
            pcues.append((m.start(), "span"))
        if "计" in sent and SUM_WORDS.search(sent) and may_match(rules.span_need, sent):  # each sum word holds 计
            pcues += [(m.start(), "span") for m in rules.span.finditer(sent)]
        if "全年" in sent or "年度" in sent:
            pcues += [(m.start(), "") for m in WHOLE_YEAR.finditer(sent)]
        pcues.sort()
    # both branches of MONTH_MID match a literal 月
    if not period and not pcues and "月" in sent and (mm := MONTH_MID.search(sent)):
        period = f"M{int(mm.group(1) or mm.group(2)):02d}"
    period = period or sec_period
    part_m = rules.part.search(sent) if not found.isdisjoint(rules.part_marks) else None
    part_from = part_m.start() if part_m else None
    # a later clause that names the library or a total again ends the parts (the clause
    # of 其中 itself stays a part: 其中，该馆少儿部…)
    part_to = len(sent) + 1
    first_sep = CLAUSE_SEP.search(sent, part_m.end()) if part_m else None
    if first_sep and (end_m := rules.part_end.search(sent, first_sep.end())):
        part_to = end_m.start()
    # pieces: parentheses holding a number stand alone, the rest splits at commas
    pieces: list[tuple[int, int, bool]] = []
    last = 0
    if "(" in sent or "（" in sent:
        for pm in PAREN.finditer(sent):
            pieces.append((last, pm.start(), False))
            pieces.append((pm.start(), pm.end(), True))
            last = pm.end()
    pieces.append((last, len(sent), False))
    out: list[Clause] = []
    never = len(sent) + 1
    # where the first target and actual cues end (matches do not overlap, so the first ends first)
    target_end = tm.end() if (tm := rules.target.search(sent)) else never
    # in an actual section an actual cue changes nothing without a target cue before it
    # (sentence_status; the plan-recall test below asks a target status): not looked for
    cues = (target_end, (am.end() if (target_end < never or sec_status != "actual")
                         and (am := rules.actual.search(sent)) else never))
    cued = cues != (never, never)  # without a cue every clause keeps the section's status
    # a clause's year cues need what the sentence has (its clauses are pieces of it, and
    # span_end's YEAR_SPAN has no look-around: a match in a clause is one in the sentence)
    spans = not found.isdisjoint(YEAR_SPAN_MARKS) and span_end(sent) is not None
    years = "年" in sent and may_match(rules.clause_year_need, sent)  # (a clause without 年 is never asked)
    present = not found.isdisjoint(rules.present_marks) and may_match(rules.present_need, sent)
    year = carried_year or sec_year  # a year stated in a clause holds for the rest of the sentence
    whole: tuple[int | None, str] | None = None  # year and period of the first clause that is no part
    first: tuple[int | None, str] | None = None
    last_year, last_part = None, False
    marked = "," in sent or "，" in sent or ":" in sent or "：" in sent  # a clause mark to split at
    for a, b, paren in pieces:
        bounds = _clause_bounds(sent, a, b) if marked else (a, b)
        for s, e in zip(bounds, bounds[1:]):
            piece = sent[s:e]
            if not piece.strip():
                continue
            bare = None  # the clause after its item number, read only where a test needs it
            cy = span_end(piece) if spans else None
            if cy is None and years and "年" in piece:  # every opening year cue holds 年
                bare = without_list_mark(piece)
                cy = year_at_clause_start(bare, ctx, rules, may=True)
            if cy is None and present:
                bare = without_list_mark(piece) if bare is None else bare
                if rules.present.match(bare):
                    cy = sec_year  # 目前… : the section's own year again
            if cy is None and sec_status == "target" and sec_year and rules.review.match(piece):
                cy = sec_year - 1  # a plan's 过去一年… is the year before it
            if cy is not None and not paren:
                if not rules.comparison.match(without_list_mark(piece) if bare is None else bare):
                    year = cy
            eff_year = cy if cy is not None else year
            part = paren or (part_from is not None and part_from <= s < part_to)
            last_year, last_part = eff_year, part
            # a sentence of one clause holds its figure in it
            shown = (figures is None or len(bounds) == 2 and len(pieces) == 1
                     or (k := bisect_left(figures, s_start + s)) < len(figures) and figures[k] < s_start + e)
            if not shown and (whole is not None or part and first is not None):
                continue  # its status and period are never read
            c_period = clause_period(pcues, e, period) if pcues else period
            if first is None:
                first = (eff_year, c_period)
            if whole is None and not part:
                whole = (eff_year, c_period)
            if not shown:
                continue
            status = sentence_status(cues, e, sec_status) if cued else sec_status
            if status == "target" and eff_year is not None and sec_year and eff_year < sec_year and cues[0] > e:
                status = "actual"  # a plan recalling last year's figure (2014年全年接待读者…)
            elif (status == "actual" and eff_year is not None and ctx.doc_year and eff_year > ctx.doc_year
                  and rules.future.search(sent)):
                status = "target"  # a report on 2020 posted in 2021: 今年，将举办…
            # start, end, text, sentence_start, paragraph, status, year, period, part: passed in
            # their order (by keyword the call costs four times as much)
            out.append(Clause(s_start + s, s_start + e, piece, s_start, pno, status, eff_year, c_period, part))
    if first is None:
        return out, (carried_year, sec_period)  # never: a sentence that is not blank has a clause
    whole = whole or first
    return out, (last_year if not last_part else whole[0], whole[1])
