from __future__ import annotations
from dataclasses import dataclass, field
import gc
gc.collect()
@dataclass
class Point:
    x: int
    y: int = 0
    tags: list = field(default_factory=list)
@dataclass
class Node:
    name: str
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
p = Point(1)
q = Point(1, 0)
print(p, p == q, p == Point(2), Point.__annotations__)
try:
    hash(p)
except TypeError as e:
    print(e)
try:
    Point()
except TypeError as e:
    print(e)
root = Node("root")
child = Node("child", root)
root.children.append(child)
print(child)
del root, child
print(gc.collect())
class E:
    def __eq__(self, o):
        return True
try:
    {E(): 1}
except TypeError as e:
    print(e)
