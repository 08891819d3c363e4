"""Flask commands of notifications: `deliver` runs a delivery worker, `demo-robot` a local robot for the demo."""
from __future__ import annotations

import logging
import time

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("deliver")
@with_appcontext
def deliver() -> None:
    """Run a delivery worker in this process until interrupted (any number may run beside the scheduler's)."""
    from coordinator.notify.worker import DeliveryWorker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    worker = DeliveryWorker(current_app._get_current_object()).start()
    click.echo(f"Delivery worker {worker.name} running (Ctrl-C stops).")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        worker.stop()


@click.command("demo-robot")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5081, show_default=True, type=int)
@click.option("--log", "log_path", default=None, help="where to write what it receives (default instance/)")
@with_appcontext
def demo_robot(host: str, port: int, log_path: str | None) -> None:
    """A local stand-in for a WeCom group robot: answers as WeCom does and logs every message it gets."""
    from coordinator.notify.demo_robot import serve

    path = log_path or f"{current_app.instance_path}/demo-robot.log"
    click.echo(f"Demo robot on http://{host}:{port}/cgi-bin/webhook/send, logging to {path}")
    serve(host, port, path)
