def a():
    lst = [1, 2]
    return lst[5]
try:
    a()
except IndexError:
    raise ValueError("converted")
