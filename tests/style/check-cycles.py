#!/usr/bin/env python3
# Modules depend one way (STYLE.md): no cycle among the files of runtime/,
# policy/ and shim/. A module is a .c file with the .h of the same name
# beside it. Two graphs are followed, both read from the sources alone:
#
#   includes  module A -> B when A's .c or .h includes B's header, resolved
#             as the compiler does (the including file's directory, then
#             the project's include directories from meson.build);
#   calls     module A -> B when A's .c names a function that B's .c
#             defines (not static) and a header of the tree declares,
#             directly or through a macro or an inline function of a
#             header (_cleanup_eval_ names eval_done): a shared header such as
#             policy/audit/internal.h hides no edge.
#
# A cycle in either is an error. Tables of data (the rule registry's
# families) are not functions, so a registry that lists the rule files
# while they call the rules API is not a cycle.
#
# Usage: check-cycles.py [SOURCE_ROOT]; exit 1 and each cycle printed.
import os
import re
import sys

# Cycles known and being broken, as ("includes" | "calls", (modules...)),
# each with why it is still here; one that is gone must leave this list
# too, so the list only ever shrinks. Empty: none is left.
KNOWN = set()

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
DIRS = ["runtime", "policy", "shim"]
INCLUDE_DIRS = [".", "policy", "shim", "runtime"]  # meson.build's inc

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# Comments and literals in one pass, whichever starts first ("/**" is a
# string, not a comment).
TOKENS = re.compile(r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'", re.S)
IDENT = re.compile(r"\b[A-Za-z_]\w*\b")
INLINE = re.compile(r"^static\s+inline\b[^;{}]*?\b([A-Za-z_]\w*)\s*\([^;{}]*\)\s*\{", re.M)
DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)((?:[^\n]*\\\n)*[^\n]*)", re.M)
# A function definition or declaration at file scope: the name before the
# parameter list, on a line that starts in column 0 (the tree's style).
FUNC_AT_COLUMN_0 = re.compile(r"^(?!static\b)(?!typedef\b)[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*\(", re.M)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def strip(text):
    return TOKENS.sub(lambda m: " " if m.group(0)[0] == "/" else '""', text)


def sources():
    for d in DIRS:
        for base, _, names in os.walk(os.path.join(ROOT, d)):
            for n in sorted(names):
                if n.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(base, n), ROOT)


def module_of(path):
    # NAME_internal.h is the private half of NAME's header (json.c and
    # json_parse.c share policy/json_internal.h).
    stem = os.path.splitext(path)[0]
    return stem[: -len("_internal")] if stem.endswith("_internal") else stem


def resolve(including, name):
    for d in [os.path.dirname(including)] + INCLUDE_DIRS:
        p = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(os.path.join(ROOT, p)):
            return p
    return None  # a generated header (config.h) or a system one


def cycles(graph):
    """The strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def show(graph, comp, why):
    lines = []
    for a in comp:
        for b in sorted(graph.get(a, ())):
            if b in comp:
                lines.append("    %s -> %s (%s)" % (a, b, ", ".join(sorted(why[(a, b)]))))
    return "\n".join(lines)


def main():
    files = list(sources())
    text = {f: strip(read(os.path.join(ROOT, f))) for f in files}
    raw = {f: read(os.path.join(ROOT, f)) for f in files}

    inc_graph, inc_why = {}, {}
    for f in files:
        a = module_of(f)
        inc_graph.setdefault(a, set())
        for name in INCLUDE.findall(raw[f]):
            p = resolve(f, name)
            if p is None:
                continue
            b = module_of(p)
            if b != a:
                inc_graph[a].add(b)
                inc_why.setdefault((a, b), set()).add("%s includes %s" % (os.path.basename(f), name))

    declared, macros = set(), {}
    for f in files:
        if f.endswith(".h"):
            declared.update(FUNC_AT_COLUMN_0.findall(text[f]))
            for name, body in DEFINE.findall(text[f]):
                macros[name] = set(IDENT.findall(body))
            for m in INLINE.finditer(text[f]):
                depth, i = 1, m.end()
                while depth and i < len(text[f]):
                    depth += {"{": 1, "}": -1}.get(text[f][i], 0)
                    i += 1
                macros[m.group(1)] = set(IDENT.findall(text[f][m.end() : i]))

    def names(t):
        """Identifiers of t, and those of the macros it uses, transitively."""
        out, todo = set(), set(IDENT.findall(t))
        while todo:
            n = todo.pop()
            if n not in out:
                out.add(n)
                todo |= macros.get(n, set())
        return out

    defined_in = {}
    for f in files:
        if f.endswith(".c"):
            for m in re.finditer(r"^(?!static\b)[A-Za-z_][^;{}()]*?\b([A-Za-z_]\w*)\s*\(([^;{}]*)\)\s*\{", text[f], re.M):
                if m.group(1) in declared:
                    defined_in.setdefault(m.group(1), module_of(f))
    call_graph, call_why = {}, {}
    for f in files:
        if not f.endswith(".c"):
            continue
        a = module_of(f)
        call_graph.setdefault(a, set())
        for name in names(text[f]):
            b = defined_in.get(name)
            if b and b != a:
                call_graph[a].add(b)
                call_why.setdefault((a, b), set()).add(name)

    bad, found = 0, set()
    for what, graph, why in (("includes", inc_graph, inc_why), ("calls", call_graph, call_why)):
        for comp in cycles(graph):
            found.add((what, tuple(comp)))
            if (what, tuple(comp)) in KNOWN:
                print("check-cycles: known, being broken: a cycle of %s among %s" % (what, ", ".join(comp)))
                continue
            bad += 1
            print("check-cycles: a cycle of %s among %s:\n%s" % (what, ", ".join(comp), show(graph, comp, why)))
    for what, comp in sorted(KNOWN - found):
        bad += 1
        print("check-cycles: the cycle of %s among %s is gone: remove it from KNOWN" % (what, ", ".join(comp)))
    if bad:
        return 1
    print("check-cycles: %d modules, no new cycle of includes or calls" % len(inc_graph))
    return 0


if __name__ == "__main__":
    sys.exit(main())
