import pytest
import torch


@pytest.fixture(scope="module")
def one_thread():
    """Tiny matrices: on the shared 2-core machine a second torch thread makes each step many times slower."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
