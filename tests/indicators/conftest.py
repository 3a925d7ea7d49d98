"""Hand-built dossiers for the indicator rules: every act through the dossier services at chosen moments."""
import pytest

from motcua.dossiers import services as S
from tests.conftest import at
from ..conftest import attach_result


class Maker:
    def __init__(self, actors, intake_data):
        self.a, self.data = actors, intake_data

    def received(self, when, **extra):
        d, _ = S.intake(self.a["receiver"], {**self.data, **extra}, now=at(when))
        return d.code

    def to_last_step(self, code, when):
        S.forward(self.a["receiver"], code, now=at(when))
        S.forward(self.a["specialist"], code, now=at(when))
        S.approve(self.a["leader"], code, now=at(when))

    def finished(self, received, finished, **extra):
        code = self.received(received, **extra)
        self.to_last_step(code, finished)
        attach_result(self.a["clerk"], code, now=at(finished))
        S.mark_result_ready(self.a["clerk"], code, now=at(finished))
        return code

    def supplement(self, code, asked, back):
        S.request_supplement(self.a["receiver"], code, reason="Thiếu bản vẽ", components=["Bản vẽ"], now=at(asked))
        S.supplement_received(self.a["receiver"], code, now=at(back))


@pytest.fixture
def make(actors, intake_data):
    return Maker(actors, intake_data)
