class Temp:
    def __init__(self):
        self._c = 0
    @property
    def celsius(self):
        return self._c
    @celsius.setter
    def celsius(self, v):
        if v < -273:
            raise ValueError("too cold")
        self._c = v
t = Temp()
t.celsius = 25
print(t.celsius)
try:
    t.celsius = -300
except ValueError as e:
    print(e)
d = {"b": 2, "a": 1}
print(d.keys(), d.values(), d.items(), list(d), len(d.keys()), "a" in d.keys())
print(dict.fromkeys(["x", "y"], 0), {**d, "c": 3}, d | {"z": 9})
print(str(1.0), str(2.50), 1e-5, 123456789012345678.0, 0.1 + 0.2, float("inf"), -0.0, 3 * 1.1)
print(int(3.9), int(-3.9), round(-2.5), round(0.125, 2), 10 // 3, 10 % -3, 2 ** -1, 5 / 2)
print(repr(1.5), 7 == 7.0, hash(1) == hash(1.0), 0.1 * 3 == 0.3, abs(-2.5))
x = None
print(x is None, x == None, not x, [] or "default", 0 and "never")
class P:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y
p = P(1, 2)
try:
    p.z = 3
except AttributeError as e:
    print("slots:", e)
try:
    raise RuntimeError("outer") from None
except RuntimeError as e:
    print(e.__cause__, e.__suppress_context__)
print(type(p).__name__, P.__name__, P.__qualname__, p.__class__ is P, type(P).__name__)
print(isinstance(True, int), issubclass(bool, int), callable(len), callable(p))
print([1, 2, 3] == [1, 2, 3], (1, 2) < (1, 3), "abc" < "abd", [1, [2, 3]] * 2)
print(list(range(10, 0, -3)), list(range(0)), range(5), len(range(1, 10, 2)))
print("{} and {}".format("a", "b"), "{0}{1}{0}".format("x", "y"), "{name}!".format(name="hi"))
print("%.3f|%5d|%-5s|%x" % (3.14159, 42, "ab", 255))
print(", ".join(str(i) for i in range(3)), "-".join(map(str, [1, 2])))
