"""The contract's flask commands; each bootstrap command prints its secret as the last line of stdout.

The operator at the command line acts as SYSTEM (an admin without a user row), so the services' rules and audit
apply here as everywhere."""
from __future__ import annotations

import secrets
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from coordinator.domain.access_facts import SYSTEM
from coordinator.domain.errors import DomainError
from coordinator.edge import settings
from coordinator.extensions import db


def _fail(error: DomainError) -> None:
    """Say what is wrong on stderr and exit non-zero, having stored nothing."""
    db.session.rollback()
    details = "; ".join(f"{e.field or e.index}: {e.message}" for e in error.errors)
    click.echo(f"error: {error.detail}{' (' + details + ')' if details else ''}", err=True)
    sys.exit(1)


def _base_url() -> str:
    return f"http://{current_app.config['HOST']}:{current_app.config['PORT']}"


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the schema by applying the migrations."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("Database schema is up to date.")


@click.command("create-user")
@click.argument("name")
@click.option("--role", type=click.Choice(["commissioner", "streamer"]), required=True)
@click.option("--streamer", "handle", help="the streamer profile a streamer user is bound to")
@click.option("--password", help="login password; one is generated and printed if left out")
@click.option("--admin", is_flag=True, help="a commissioner who sees every county and campaign")
@click.option("--county", "county_ids", type=int, multiple=True, help="assign a county (repeatable)")
@with_appcontext
def create_user(name: str, role: str, handle: str | None, password: str | None, admin: bool,
                county_ids: tuple[int, ...]) -> None:
    """Create a user; the last line printed is an API token for it."""
    from coordinator.services import access, accounts, counties

    generated = password is None
    password = secrets.token_urlsafe(12) if generated else password
    try:
        if role == "streamer" and not handle:
            raise DomainError("A streamer user needs --streamer HANDLE: the streamer profile it is bound to.")
        if role != "commissioner" and (admin or county_ids):
            raise DomainError("--admin and --county are for commissioners; a streamer sees only its own data.")
        user = accounts.create_user(name, role, password=password, streamer_handle=handle, is_admin=admin,
                                    commit=False)
        counties.assign_at_creation(user, list(county_ids))
        db.session.commit()
        _row, token = accounts.issue_api_token(access.actor_for(user), "created on the command line")
    except DomainError as error:
        _fail(error)
    click.echo(f"Created {role} {name}" + (f" bound to streamer {handle}" if handle else "") + ".")
    if generated:
        click.echo(f"Password: {password}")
    click.echo("API token (shown once):")
    click.echo(token)


@click.command("ingest-key")
@click.argument("name")
@with_appcontext
def ingest_key(name: str) -> None:
    """Create an ingest key for every campaign; the last line is 'KEY_ID SECRET'."""
    from coordinator.services import keys

    try:
        key, secret = keys.create_ingest_key(SYSTEM, name)
    except DomainError as error:
        _fail(error)
    click.echo(f"Ingest key {name!r} created. Sign each POST /api/v1/sales with it (CONTRACT section 3).")
    click.echo(f"{key.key_id} {secret}")


@click.command("screen-token")
@click.option("--campaign", "campaign_id", type=int, required=True)
@click.option("--name", default="", help="what the screen is, e.g. 'county office'")
@with_appcontext
def screen_token(campaign_id: int, name: str) -> None:
    """Create a tally screen link for a campaign; the last line is its URL path."""
    from coordinator.services import screen_links

    try:
        _row, token = screen_links.create_screen_token(SYSTEM, campaign_id, name)
    except DomainError as error:
        _fail(error)
    click.echo(f"Open {_base_url()}/screen/{token} on the screen. The path:")
    click.echo(f"/screen/{token}")


@click.command("simulate-sales")
@click.option("--campaign", "campaign_id", type=int, help="the campaign to sell in")
@click.option("--demo", "use_demo", is_flag=True, help="sell in the demo campaign")
@click.option("--rate", type=float, default=20.0, show_default=True, help="events a second")
@click.option("--seconds", type=float, default=60.0, show_default=True)
@click.option("--url", default=None, help="the coordinator to post to (default: http://HOST:PORT)")
@with_appcontext
def simulate_sales(campaign_id: int | None, use_demo: bool, rate: float, seconds: float, url: str | None) -> None:
    """Post realistic signed orders and refunds through the real webhook, with a key for that campaign alone."""
    from coordinator.services import demo, keys, simulator

    if use_demo:
        campaign_id = demo.campaign_id()
    if campaign_id is None:
        click.echo("error: give --campaign ID (or --demo)", err=True)
        sys.exit(2)
    shelf_list = simulator.shelves(campaign_id)
    if not shelf_list:
        click.echo(f"error: campaign {campaign_id} has no session with a lineup to sell into", err=True)
        sys.exit(1)
    key, secret = keys.create_ingest_key(SYSTEM, "sales simulator", [campaign_id])
    key_id = key.key_id
    db.session.remove()  # the posts go through HTTP; hold no database connection meanwhile
    target = url or _base_url()
    click.echo(f"Posting about {rate:g} events/s for {seconds:g} s to {target} (key {key_id}) …")
    outcome = simulator.run(target, key_id, secret, shelf_list, rate, seconds, report=click.echo)
    click.echo(f"Posted {outcome['events']} events; answers: {outcome['statuses']}")


@click.command("scheduler")
@with_appcontext
def run_scheduler() -> None:
    """Run the session scheduler in this process (SCHEDULER_MODE=standalone); one at a time per database."""
    from coordinator import jobs

    if current_app.config["SCHEDULER_MODE"] != "standalone":
        click.echo("error: set SCHEDULER_MODE=standalone for the web processes and this one", err=True)
        sys.exit(1)
    click.echo("Scheduler waiting for its lock; it runs once no other scheduler holds it (Ctrl-C stops).")
    jobs.run_standalone(current_app._get_current_object())


@click.command("demo")
@click.option("--robot-url", envvar="DEMO_ROBOT_URL", default=None,
              help="a local group robot (flask demo-robot) the demo campaign's channel posts to")
@with_appcontext
def load_demo(robot_url: str | None) -> None:
    """Load the demo campaign and print how to log in; the last line is the screen URL path."""
    from coordinator.services import demo

    try:
        logins = demo.load(settings())
        if robot_url:
            demo.add_robot(settings(), robot_url)
    except DomainError as error:
        _fail(error)
    click.echo(f"Demo loaded: {logins.counties} counties, campaign {logins.campaign_id}.")
    click.echo(f"Open:               {_base_url()}/")
    click.echo("The commissioner is an admin and owns the campaign; the county partner is Pu'an's commissioner, who "
               "sees Pu'an's share of it.")
    click.echo(f"Commissioner login: {logins.commissioner[0]} / {logins.commissioner[1]}")
    click.echo(f"County partner login: {logins.partner[0]} / {logins.partner[1]}")
    click.echo(f"Streamer login:     {logins.streamer[0]} / {logins.streamer[1]}")
    click.echo(f"Commissioner API token: {logins.api_token}")
    click.echo(f"Ingest key:         {logins.ingest_key} {logins.ingest_secret}")
    click.echo(f"Finished campaign:  {_base_url()}/campaigns/{logins.finished_campaign_id}/results "
               "(last year's Double 11, closed, with its results)")
    if robot_url:
        click.echo(f"Group robot:        the campaign's messages arrive at {robot_url} "
                   f"(logged to {current_app.instance_path}/demo-robot.log)")
    click.echo(f"Tally screen:       {_base_url()}{logins.screen_path}")
    click.echo(logins.screen_path)


def _commands() -> tuple:
    from coordinator.notify.commands import deliver, demo_robot

    return (init_db, create_user, ingest_key, screen_token, simulate_sales, run_scheduler, load_demo, deliver,
            demo_robot)


def init_app(app: Flask) -> None:
    """Register the commands on the application."""
    for command in _commands():
        app.cli.add_command(command)
