class Node:
    def __init__(self):
        self.value = 1
        self.children = []
n = Node()
try:
    n.valu
except AttributeError as e:
    print("attr:", e)
counter = 5
def f():
    local_thing = 1
    return local_thng + countr
try:
    f()
except NameError as e:
    print("name:", e)
print(n.chidren)
