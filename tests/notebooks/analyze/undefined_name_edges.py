# %%
from functools import lru_cache


@lru_cache(maxsize=None)
def fib(n):
    def inner(k):
        return n + k
    return inner(1) if n < 2 else fib(n - 1) + fib(n - 2)


def helper():
    return not_defined_anywhere


x: int = 1
if (y := x + 1) > 1:
    print(y)
total += 1
# %%
class Config:
    size = 3
    double = size * 2
match [x, y]:
    case [first, second]:
        print(first, second)
    case _:
        pass
print(Config().double, fib(5), helper(), helper(), __name__, total)
