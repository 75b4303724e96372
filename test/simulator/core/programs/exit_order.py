class R:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)
first = R("first")
second = R("second")
_private = R("_private")
cyc = R("cycle")
cyc.me = cyc
items = [R("item0"), R("item1")]
holder = {"k": R("in-dict")}
def f():
    pass
print("end")
