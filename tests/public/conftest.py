import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Lookups are counted in the cache per client address; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()
