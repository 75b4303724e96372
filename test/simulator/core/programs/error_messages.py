import gc, weakref
gc.collect()
class Bad:
    def __del__(self):
        raise RuntimeError("in del")
b = Bad()
b.me = b
del b
gc.collect()
print("after gc del error")
class T:
    pass
t = T()
def badcb(r):
    raise ValueError("cb failed")
r = weakref.ref(t, badcb)
del t
print("after cb error")
def f(a, b, c=1, *, d):
    return a
for call in [lambda: f(1), lambda: f(1, 2, 3, 4, d=1), lambda: f(1, 2, e=3, d=1), lambda: f(1, 2, 3), lambda: f(1, b=2, a=3, d=4)]:
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)
class K:
    def __init__(self, x):
        self.x = x
try:
    K()
except TypeError as e:
    print(e)
try:
    K(1, 2)
except TypeError as e:
    print(e)
try:
    {[]: 1}
except TypeError as e:
    print(e)
try:
    len(5)
except TypeError as e:
    print(e)
try:
    "a" + 1
except TypeError as e:
    print(e)
try:
    1 + "a"
except TypeError as e:
    print(e)
try:
    [1, 2].foo
except AttributeError as e:
    print(e)
try:
    x = undefined_name
except NameError as e:
    print(e)
def g():
    print(local_later)
    local_later = 1
try:
    g()
except UnboundLocalError as e:
    print(e)
try:
    a, b = [1, 2, 3]
except ValueError as e:
    print(e)
try:
    a, b, c = [1]
except ValueError as e:
    print(e)
try:
    int("abc")
except ValueError as e:
    print(e)
try:
    [].pop()
except IndexError as e:
    print(e)
try:
    {}.pop("k")
except KeyError as e:
    print(repr(e))
try:
    raise Exception("a", 1)
except Exception as e:
    print(e, e.args)
