from collections import defaultdict, OrderedDict, deque
import gc
gc.collect()
groups = defaultdict(list)
for word in ["apple", "avocado", "banana"]:
    groups[word[0]].append(word)
print(groups, dict(groups), groups["z"], len(groups), isinstance(groups, dict))
od = OrderedDict()
od["a"] = 1
od["b"] = 2
od.move_to_end("a")
print(od, list(od), od.popitem(last=False), od)
q = deque([1, 2, 3])
q.appendleft(0)
q.append(4)
print(q, q.popleft(), q.pop(), len(q), list(q))
class Node:
    pass
reg = defaultdict(set)
n = Node()
reg["k"].add(n)
n.reg = reg
del n, reg
print(gc.collect())
