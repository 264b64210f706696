#!/usr/bin/env python3
"""No import circles between the Rust files of one folder (a house rule; run by scripts/test.sh).

For every .rs file, the sibling modules it names through `use super::X`, `super::X::`,
`crate::<path to folder>::X` or `use super::{X, ...}` (its `#[cfg(test)] mod tests` left out: a
test may reach anywhere); then the strongly connected components (Tarjan) of that graph, per
folder. Usage: scripts/check-rust-circles.py DIR [DIR ...] (each DIR a crate's src/); prints each
circle and exits 1 when there is one.
"""
import os
import re
import sys


def module_path(root, folder):
    rel = os.path.relpath(folder, root)
    return "crate" if rel == "." else "crate::" + "::".join(rel.split(os.sep))


def folder_graph(root, folder, files):
    """Sibling module -> the sibling modules it names."""
    mods = {f[:-3] for f in files if f.endswith(".rs") and f not in ("mod.rs", "main.rs", "lib.rs")}
    mods |= {d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d))}
    here = re.escape(module_path(root, folder))
    graph = {}
    for f in files:
        name = f[:-3]
        if not f.endswith(".rs") or name in ("mod", "main", "lib"):
            continue
        with open(os.path.join(folder, f), encoding="utf-8") as handle:
            text = re.split(r"#\[cfg\(test\)\]\s*mod tests", handle.read())[0]
        deps = set()
        for m in re.finditer(r"(?:\bsuper|" + here + r")::(\{[^}]*\}|\w+)", text):
            group = m.group(1)
            names = re.findall(r"\b(\w+)\b", group) if group.startswith("{") else [group]
            deps |= {n for n in names if n in mods and n != name}
        graph[name] = deps
    return graph


def circles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def main(roots):
    bad = 0
    folders = 0
    for root in roots:
        for folder, _, files in os.walk(root):
            folders += 1
            graph = folder_graph(root, folder, files)
            for component in circles(graph):
                bad += 1
                print(f"{folder}: circle {' <-> '.join(component)}")
                for v in component:
                    print(f"    {v} -> {sorted(graph[v] & set(component))}")
    print(f"check-rust-circles: {folders} folders, {bad} circle(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["src", "server/src"]))
