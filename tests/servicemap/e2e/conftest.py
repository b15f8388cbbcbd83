# The 360×640 Chinese phone and the login helper of the end-to-end suite.
from tests.e2e.conftest import login_page, phone_page  # noqa: F401
