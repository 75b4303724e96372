import gc, weakref, sys
gc.collect()
class A:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name, [k for k in sorted(vars(self))])
def cb(r):
    print("callback", r)
x, y = A("x"), A("y")
x.o, y.o = y, x
rx = weakref.ref(x, cb)
ry = weakref.ref(y, lambda r: print("lambda cb"))
del x, y
print("collect:", gc.collect())
print("garbage:", gc.garbage)
class Lazarus:
    saved = None
    def __del__(self):
        print("saving myself")
        Lazarus.saved = self
l = Lazarus()
l.me = l
wl = weakref.ref(l)
del l
print("first:", gc.collect(), wl() is None, Lazarus.saved is not None)
Lazarus.saved = None
print("second:", gc.collect())
lst = [A("in-list-%d" % i) for i in range(3)]
del lst
print("list deleted")
d = {"k1": A("v1"), "k2": A("v2")}
d.clear()
print("dict cleared")
t = (A("t0"), A("t1"))
del t
print("tuple deleted")
gc.set_debug(gc.DEBUG_SAVEALL)
z = []
z.append(z)
del z
print(gc.collect(), gc.garbage)
gc.set_debug(0)
gc.garbage.clear()
print(sys.getrefcount(A), gc.is_tracked(A("tmp")))
