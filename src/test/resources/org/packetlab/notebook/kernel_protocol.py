"""Drives the PacketLab kernel over the Jupyter protocol with jupyter_client and prints a JSON
report of what came back; the Java test asserts on the report.

usage: python3 kernel_protocol.py KERNEL_NAME HTTP_GET_MLET SINGLETON_MLET
(the last two: C test mlets compiled by the Java test)
"""
import json
import sys
import time
from jupyter_client.manager import start_new_kernel


def run_cell(kc, code, timeout=60):
    """Executes code; returns the shell reply content and the iopub messages it caused."""
    msg_id = kc.execute(code)
    outputs = []
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind in ("stream", "execute_result", "display_data", "update_display_data", "error"):
            outputs.append({"type": kind, "content": msg["content"]})
    reply = shell_reply(kc, msg_id, deadline - time.monotonic())
    return reply, outputs


def shell_reply(kc, msg_id, timeout):
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"]


def interrupt_when_shown(km, kc, code, timeout=60):
    """Executes code, interrupts the kernel once the cell has shown something; returns the reply,
    the cell's outputs and the seconds from the interrupt to the reply."""
    msg_id = kc.execute(code)
    outputs = []
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if kind in ("display_data", "update_display_data", "error"):
            outputs.append({"type": kind, "content": msg["content"]})
        if kind == "display_data":
            break
    interrupted_at = time.monotonic()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, 30)
    return reply, outputs, time.monotonic() - interrupted_at


def is_complete(kc, code):
    # Debian's jupyter_client 7.4.9 has no is_complete(reply=True)
    msg_id = kc.is_complete(code)
    return shell_reply(kc, msg_id, 30)


def main():
    report = {}
    started = time.monotonic()
    km, kc = start_new_kernel(kernel_name=sys.argv[1], startup_timeout=90)
    report["startup_seconds"] = time.monotonic() - started
    try:
        info_id = kc.kernel_info()
        report["kernel_info"] = shell_reply(kc, info_id, 30)

        reply, outputs = run_cell(kc, 'int twice(int x) { return 2 * x; }\nSystem.out.println("out line");\ntwice(21)')
        report["execute"] = {"reply": reply, "outputs": outputs}

        reply, outputs = run_cell(kc, "int y = undefinedThing;")
        report["compile_error"] = {"reply": reply, "outputs": outputs}

        reply, outputs = run_cell(kc, "twice(Integer.parseInt(\"x\"))")
        report["runtime_error"] = {"reply": reply, "outputs": outputs}

        complete_id = kc.complete("Str", 3)
        report["complete"] = shell_reply(kc, complete_id, 30)

        report["is_complete"] = {
            "int x =": is_complete(kc, "int x ="),
            "int x = 1;": is_complete(kc, "int x = 1;"),
        }

        sleep_id = kc.execute("Thread.sleep(60000);")
        deadline = time.monotonic() + 30
        while True:  # interrupt once the cell is running
            msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            if msg["parent_header"].get("msg_id") == sleep_id and msg["header"]["msg_type"] == "execute_input":
                break
        interrupted_at = time.monotonic()
        km.interrupt_kernel()
        interrupt_reply = shell_reply(kc, sleep_id, 30)
        report["interrupt"] = {"reply": interrupt_reply, "seconds": time.monotonic() - interrupted_at}

        reply, outputs = run_cell(kc, '"alive after interrupt"')
        report["after_interrupt"] = {"reply": reply, "outputs": outputs}

        http_get, singleton = sys.argv[2], sys.argv[3]
        reply, outputs = run_cell(kc, "Lab lab = %pktlab lab start --endpoints 2")
        report["lab_start"] = {"reply": reply, "outputs": outputs}
        cell = "%pktlab run " + http_get + " 127.0.0.1 /index.html {lab.httpTarget().getPort()}"
        reply, outputs = run_cell(kc, cell)
        report["external_run"] = {"reply": reply, "outputs": outputs}
        reply, outputs = run_cell(kc, "Results<?> ext = %pktlab results\n"
                                      "ext.stream().map(e -> ((MletReport) e.value()).output().lines().findFirst().get()).toList()")
        report["external_values"] = {"reply": reply, "outputs": outputs}
        reply, outputs = run_cell(kc, "%pktlab run -s " + singleton + " " + http_get
                                  + " 127.0.0.1 /index.html {lab.httpTarget().getPort()}")
        report["singleton_run"] = {"reply": reply, "outputs": outputs}

        reply, outputs, seconds = interrupt_when_shown(km, kc, "%%mlet sleepy --run\nThread.sleep(60000);\nreturn 1;")
        report["interrupted_run"] = {"reply": reply, "outputs": outputs, "seconds": seconds}
        reply, outputs = run_cell(kc, "%pktlab run HttpGet $http /index.html")
        report["run_after_interrupt"] = {"reply": reply, "outputs": outputs}
        reply, outputs = run_cell(kc, "%pktlab lab stop")
        report["lab_stop"] = {"reply": reply, "outputs": outputs}
    finally:
        stopping = time.monotonic()
        km.shutdown_kernel(now=False)
        report["shutdown"] = {"alive": km.is_alive(), "seconds": time.monotonic() - stopping}
        kc.stop_channels()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
