import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

# Hypothesis profiles (tests/test_properties.py): REDLINE_HYPOTHESIS_PROFILE=fast (the
# default, for CI) or long (ten times the examples, by hand). Example counts are scaled in
# the test module; the profile sets what every property test shares.
settings.register_profile(
    "fast",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    print_blob=True,
)
settings.register_profile("long", parent=settings.get_profile("fast"))
settings.load_profile(os.environ.get("REDLINE_HYPOTHESIS_PROFILE", "fast"))
