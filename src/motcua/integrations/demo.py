"""`motcua demo` runs the web server, a worker, the DVCQG simulator and the payment gateway simulator together,
so a newcomer sees a dossier's sync and an online payment happen without setting anything up (Ctrl-C stops
them all)."""
import os
import subprocess
import sys

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure

from .models import AgencyMapping, ProcedureMapping

DEMO_SIM_PORT = 8001
DEMO_PAYGATE_PORT = 8002
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
    paygate = start_paygate(bind, motcua)
    worker = subprocess.Popen([*motcua, "worker"])
    return [sim, paygate, worker]


def start_paygate(bind, motcua, port=DEMO_PAYGATE_PORT):
    """`motcua paygate-sim` on port 8002, and the environment pointing Motcua's VNPay and PayGov settings at it."""
    url, site = f"http://127.0.0.1:{port}", f"http://{bind}"
    for k, v in {"MOTCUA_PAYMENT_GATEWAYS": "vnpay,paygov", "MOTCUA_VNPAY_PAY_URL": f"{url}/paymentv2/vpcpay.html",
                 "MOTCUA_VNPAY_API_URL": f"{url}/merchant_webapi/api/transaction", "MOTCUA_VNPAY_TMN_CODE": "MOTCUA01",
                 "MOTCUA_VNPAY_HASH_SECRET": "vnpay-secret", "MOTCUA_VNPAY_RETURN_URL": f"{site}/thanh-toan/vnpay/ket-qua/",
                 "MOTCUA_PAYGOV_INIT_URL": f"{url}/paygov/init", "MOTCUA_PAYGOV_CHECK_URL": f"{url}/paygov/query",
                 "MOTCUA_PAYGOV_RECEIPT_URL": f"{url}/paygov/bill", "MOTCUA_PAYGOV_ACCESS_TOKEN": "paygov-token",
                 "MOTCUA_PAYGOV_SECRET_KEY": "paygov-secret", "MOTCUA_PAYGOV_PARTNER_CODE": "MOTCUA"}.items():
        os.environ.setdefault(k, v)
    return subprocess.Popen([*motcua, "paygate-sim", "--port", str(port),
                             "--ipn-url", f"{site}/thanh-toan/vnpay/ipn/",
                             "--confirm-url", f"{site}/thanh-toan/paygov/xac-nhan/",
                             "--return-url", f"{site}/thanh-toan/paygov/ket-qua/"])

