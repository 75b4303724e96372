import sys
def f(x):
    return g(x) + 1
def g(y):
    return y / 0
print("start", file=sys.stderr)
print("out")
f(1)
