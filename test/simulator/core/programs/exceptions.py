import gc, sys
class Err(Exception):
    pass
def risky(n):
    if n > 2:
        raise Err("too big: %d" % n)
    return n
try:
    risky(5)
except Err as e:
    print("caught", e, repr(e), e.args)
try:
    print(e)
except NameError as ne:
    print("unbound:", ne)
def f():
    try:
        return "try"
    finally:
        print("finally runs")
print(f())
for i in range(5):
    try:
        if i == 1:
            continue
        if i == 3:
            break
        print("loop", i)
    finally:
        print("fin", i)
class CM:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, t, v, tb):
        print("exit", t.__name__ if t else None, v)
        return True
with CM() as cm:
    raise ValueError("inside")
print("after with")
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise KeyError("k")
except KeyError as k:
    print("ctx", repr(k.__context__))
try:
    {}["missing"]
except KeyError as k:
    print("keyerror", k)
try:
    [][1]
except IndexError as ie:
    print(ie)
try:
    None.foo
except AttributeError as ae:
    print(ae)
assert True
def deep(n):
    if n == 0:
        raise RuntimeError("bottom")
    deep(n - 1)
def top():
    deep(2)
top()
