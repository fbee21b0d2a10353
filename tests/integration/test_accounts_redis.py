"""Sessions and rate limits with Redis configured (the real server)."""

from datetime import timedelta

import pytest
import redis

from tests.support import PASSWORD, user
from tix.adapters.cache.redis import RedisCache, connect
from tix.core.errors import NotAuthenticated, RuleViolation


@pytest.fixture
def with_redis(make_runtime, database, redis_url):
    return lambda: make_runtime(database, redis_url=redis_url)


def test_a_login_is_cached_in_redis_and_logout_removes_it_everywhere(with_redis, redis_url):
    first, second = with_redis(), with_redis()
    user(first)
    login = first.accounts.login(email="ann@example.com", password=PASSWORD)
    client = redis.Redis.from_url(redis_url)
    assert client.get(f"tix:session:{login.principal.session_id}") is not None
    assert second.accounts.authenticate(login.token).email == "ann@example.com"
    first.accounts.logout(login.token)
    assert client.get(f"tix:session:{login.principal.session_id}") is None
    with pytest.raises(NotAuthenticated):
        second.accounts.authenticate(login.token)


def test_the_reset_limit_holds_across_processes_through_redis(with_redis, clock):
    user(with_redis())
    for _ in range(3):
        with_redis().accounts.forgot_password("ann@example.com")
    with pytest.raises(RuleViolation, match="too many"):
        with_redis().accounts.forgot_password("ann@example.com")
    clock.advance(timedelta(hours=1, seconds=1))
    with_redis().accounts.forgot_password("ann@example.com")


def test_a_cache_whose_redis_is_gone_answers_misses_instead_of_errors():
    gone = RedisCache(connect("redis://127.0.0.1:1/0"))
    gone.set("k", "v", timedelta(seconds=5))
    assert gone.get("k") is None
    gone.delete("k")


def test_authentication_falls_back_to_the_database_when_redis_dies(
        make_runtime, database, redis_url):
    runtime = make_runtime(database, redis_url=redis_url)
    user(runtime)
    login = runtime.accounts.login(email="ann@example.com", password=PASSWORD)
    broken = make_runtime(database, redis_url="redis://127.0.0.1:1/0")
    assert broken.accounts.authenticate(login.token).email == "ann@example.com"
