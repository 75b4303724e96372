from contextlib import contextmanager
class Lock:
    def __enter__(self):
        print("acquire")
        return self
    def __exit__(self, *a):
        print("release", a[0].__name__ if a[0] else None)
        return False
lock = Lock()
def worker():
    with lock:
        yield 1
        yield 2
    yield 3
print(list(worker()))
g = worker()
print(next(g))
g.close()
print("closed")
@contextmanager
def locked():
    with lock:
        yield "in"
with locked() as v:
    print("body", v)
def failing():
    with lock:
        yield 1
        raise ValueError("x")
try:
    for v in failing():
        print("got", v)
except ValueError as e:
    print("caught", e)
