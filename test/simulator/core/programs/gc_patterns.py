import gc, weakref
gc.collect()
class Node:
    def __init__(self, name):
        self.name = name
    def __repr__(self):
        return "Node(%s)" % self.name
def make_closure_cycle():
    n = Node("c")
    def get():
        return n
    n.getter = get
    return weakref.ref(n)
r = make_closure_cycle()
print("closure cycle alive:", r() is not None, "collected:", gc.collect(), r())
cache = weakref.WeakValueDictionary()
def load(k):
    node = Node(k)
    node.self_ref = node
    cache[k] = node
    return node
a = load("a")
load("b")
print(sorted(cache.keys()))
print("collect:", gc.collect(), sorted(cache.keys()))
del a
print("collect:", gc.collect(), list(cache.keys()))
def gen_cycle():
    def g():
        me = yield 1
        yield me
    it = g()
    next(it)
    holder = Node("h")
    holder.it = it
    it.send(holder)
    return weakref.ref(holder)
rh = gen_cycle()
print("gen cycle:", rh() is not None, gc.collect(), rh())
d = {}
d["self"] = d
l = [d]
d["l"] = l
del d, l
print("dict/list:", gc.collect())
s = set()
class H:
    pass
h = H()
h.s = s
s.add(h)
del h, s
print("set:", gc.collect())
print(gc.get_stats()[2]["collections"] >= 1, len(gc.garbage))
