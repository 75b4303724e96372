def make(base):
    x = base * 2
    class A:
        y = x
        def get(self):
            return x + self.y
    return A
A = make(5)
print(A.y, A().get())
class Outer:
    class Inner:
        v = 1
    w = Inner.v + 1
print(Outer.Inner.v, Outer.w, Outer.Inner.__qualname__)
g = 10
class UsesGlobal:
    total = g + 1
    items = [g * i for i in range(3)]
print(UsesGlobal.total, UsesGlobal.items)
