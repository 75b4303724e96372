import gc, sys, weakref
class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None
    def __del__(self):
        print("del", self.name)
def make():
    a = Node("a"); b = Node("b")
    a.peer = b; b.peer = a
    return weakref.ref(a)
r = make()
print("alive", r() is not None)
print(gc.collect())
n = Node("x")
print(sys.getrefcount(n))
def show(o):
    print("in func", sys.getrefcount(o))
show(n)
l = [n, n]
print(sys.getrefcount(n))
del l
p = weakref.proxy(n)
print(p.name, type(p).__name__)
del n
try:
    p.name
except ReferenceError as e:
    print("ReferenceError:", e)
class A:
    def m(self): return 1
a = A()
wm = weakref.WeakMethod(a.m)
print(wm()(), gc.is_tracked(a), gc.get_referents(a))
del a
print(wm())
import functools
@functools.lru_cache(maxsize=2)
def sq(x):
    print("compute", x)
    return x * x
print(sq(2), sq(2), sq(3), sq(4), sq(2), sq.cache_info())
p2 = functools.partial(max, 5)
print(p2(3), p2(9))
import atexit
def bye(who):
    print("bye", who)
atexit.register(bye, "first")
atexit.register(bye, "second")
s = Node("survivor")
s.me = s
print("end")
