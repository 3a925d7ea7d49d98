"""`motcua demo` runs the web server, a worker and the DVCQG simulator together, so a newcomer sees a
dossier's sync happen without setting anything up (Ctrl-C stops all three)."""
import os
import subprocess
import sys

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure

from .models import AgencyMapping, ProcedureMapping

DEMO_SIM_PORT = 8001
DEMO_ENV = {
    "MOTCUA_DVCQG_AUTH": "lgsp", "MOTCUA_DVCQG_CLIENT_ID": "motcua", "MOTCUA_DVCQG_CLIENT_SECRET": "motcua-secret",
    "MOTCUA_DVCQG_WEBHOOK_SECRET": "demo-webhook-secret", "MOTCUA_DVCQG_POLL": "true",
}


def ensure_mappings(province="H13"):
    """Demo data: every procedure and agency mapped (identifier codes are the agencies' own codes)."""
    have = set(ProcedureMapping.objects.values_list("procedure_id", flat=True))
    ProcedureMapping.objects.bulk_create([
        ProcedureMapping(procedure=p, remote_code=f"{p.code}.000.00.00.{province}", remote_name=p.name[:500])
        for p in Procedure.objects.exclude(pk__in=have)])
    have = set(AgencyMapping.objects.values_list("agency_id", flat=True))
    AgencyMapping.objects.bulk_create([AgencyMapping(agency=a, remote_code=a.code)
                                       for a in Agency.objects.exclude(pk__in=have)])


def start(bind, sim_port=DEMO_SIM_PORT):
    """Start the simulator and one worker as child processes; returns them (the caller serves, then stops
    them). The environment the children and the web server read points at the simulator."""
    url = f"http://127.0.0.1:{sim_port}"
    for k, v in {**DEMO_ENV, "MOTCUA_DVCQG_URL": url}.items():
        os.environ.setdefault(k, v)
    motcua = [sys.executable, "-m", "motcua.cli"]
    sim = subprocess.Popen([*motcua, "dvcqg-sim", "--port", str(sim_port),
                            "--webhook", f"http://{bind}/api/v1/integrations/dvcqg/webhook/",
                            "--webhook-secret", os.environ["MOTCUA_DVCQG_WEBHOOK_SECRET"]])
    worker = subprocess.Popen([*motcua, "worker"])
    return [sim, worker]

