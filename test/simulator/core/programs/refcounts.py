import sys, gc
obj = object()
def one(x):
    return sys.getrefcount(x)
def two(x):
    return one(x)
print("arg:", one(obj), "two deep:", two(obj))
def local():
    y = []
    a = sys.getrefcount(y)
    z = y
    return a, sys.getrefcount(y)
print("local:", local())
class C:
    def m(self):
        return sys.getrefcount(self)
c = C()
print("self:", c.m(), sys.getrefcount(c))
l = [obj]
print("in list:", sys.getrefcount(obj))
print("loop:", [sys.getrefcount(v) for v in [obj]])
for v in [obj]:
    print("for:", sys.getrefcount(obj))
del v
f = lambda q: sys.getrefcount(q)
print("lambda:", f(obj))
d = {"k": obj}
print("dict:", sys.getrefcount(obj))
def cb(phase, info):
    print(phase, sorted(info))
gc.callbacks.append(cb)
gc.collect()
gc.callbacks.remove(cb)
print(len(gc.get_stats()), gc.isenabled())
