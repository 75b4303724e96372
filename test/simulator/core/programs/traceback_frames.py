import gc, sys
class Big:
    def __del__(self):
        print("Big freed")
def fail():
    big = Big()
    raise ValueError("boom")
gc.collect()
try:
    fail()
except ValueError as e:
    saved = e
print("saved; big alive via traceback frame")
del saved
print("after del saved")
gc.collect()
def keep_exc():
    try:
        fail()
    except ValueError as e:
        err = e
    return err
gc.collect()
x = keep_exc()
print("returned")
del x
print("collected:", gc.collect())
def info():
    try:
        1 / 0
    except ZeroDivisionError:
        t, v, tb = sys.exc_info()
        print(t.__name__, v, tb.tb_lineno)
        return tb
tb = info()
del tb
print("tb:", gc.collect())
