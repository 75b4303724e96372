import sys, gc
class Base:
    kind = "base"
    def __init__(self, name):
        self.name = name
    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"
    def greet(self):
        return "hi " + self.name
class Child(Base):
    def __init__(self, name, n):
        super().__init__(name)
        self.n = n
    @property
    def double(self):
        return self.n * 2
    @staticmethod
    def s(x):
        return x + 1
    @classmethod
    def make(cls, n):
        return cls("made", n)
c = Child("c", 21)
print(c, c.double, Child.s(1), Child.make(3), c.greet(), c.kind, Child.kind)
print(isinstance(c, Base), issubclass(Child, Base), type(c) is Child)
d = {"a": 1, "b": [1, 2, {"x": (1,)}]}
print(d, list(d.items()), sorted(d), len(d))
print([x * x for x in range(5) if x % 2], {k: v for k, v in zip("abc", range(3))}, {1, 2, 3})
print(f"{3.14159:.2f} {42:>5} {'s':<3}| {1/3} {2.0} {1e20} {1.5e-7} {10**20}")
print("%s-%d-%r" % ("a", 5, "q"), "x".join(["a", "b"]), "a,b".split(","), " s ".strip())
t = (1, "two", 3.0, None, True)
print(t, t[1:], t[::-1], list(range(10))[2:8:2])
def gen(n):
    for i in range(n):
        x = yield i
        if x:
            print("got", x)
g = gen(3)
print(next(g), g.send("hello"), list(g))
print(sum(i for i in range(10)), min(3, 1, 2), max([4, 8, 1]), any([0, 1]), all([]))
def outer():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc
f = outer()
f(); f()
print(f(), f.__closure__[0].cell_contents)
x = 10
def useglobal():
    global x
    x += 5
useglobal()
print(x)
print(sorted([3, 1, 2], reverse=True), sorted(["bb", "a", "ccc"], key=len))
print(divmod(7, 2), 7 // 2, -7 // 2, -7 % 3, 2 ** 10, 7 / 2, abs(-3), round(2.5), round(3.14159, 2))
a, *rest = [1, 2, 3, 4]
print(a, rest)
print(repr("it's"), repr('say "hi"'), str(None), bool([]), int("42"), float("1.5"))
