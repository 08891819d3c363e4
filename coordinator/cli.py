"""The contract's flask commands; each bootstrap command prints its secret as the last line of stdout."""
from __future__ import annotations

import secrets
import sys

import click
from flask import Flask, current_app
from sqlalchemy import select

from coordinator.domain.errors import DomainError
from coordinator.extensions import db
from coordinator.models import CommissionerCounty, County


def _fail(error: DomainError) -> None:
    """Say what is wrong on stderr and exit non-zero, having stored nothing."""
    db.session.rollback()
    details = "; ".join(f"{e.field or e.index}: {e.message}" for e in error.errors)
    click.echo(f"error: {error.detail}{' (' + details + ')' if details else ''}", err=True)
    sys.exit(1)


def _base_url() -> str:
    return f"http://{current_app.config['HOST']}:{current_app.config['PORT']}"


def init_app(app: Flask) -> None:
    """Register the commands on the application."""
    from flask_migrate import upgrade

    from coordinator.services import accounts, demo, keys

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or upgrade the schema by applying the migrations."""
        upgrade()
        click.echo("Database schema is up to date.")

    @app.cli.command("create-user")
    @click.argument("name")
    @click.option("--role", type=click.Choice(["commissioner", "streamer"]), required=True)
    @click.option("--streamer", "handle", help="the streamer profile a streamer user is bound to")
    @click.option("--password", help="login password; one is generated and printed if left out")
    @click.option("--admin", is_flag=True, help="a commissioner who sees every county")
    @click.option("--county", "county_ids", type=int, multiple=True, help="assign a county (repeatable)")
    def create_user(name: str, role: str, handle: str | None, password: str | None, admin: bool,
                    county_ids: tuple[int, ...]) -> None:
        """Create a user; the last line printed is an API token for it."""
        generated = password is None
        password = secrets.token_urlsafe(12) if generated else password
        try:
            if role == "streamer" and not handle:
                raise DomainError("A streamer user needs --streamer HANDLE: the streamer profile it is bound to.")
            if role != "commissioner" and (admin or county_ids):
                raise DomainError("--admin and --county are for commissioners; a streamer sees only its own data.")
            missing = [cid for cid in county_ids if db.session.get(County, cid) is None]
            if missing:
                raise DomainError(f"No county with id {', '.join(map(str, missing))}.")
            user = accounts.create_user(name, role, password=password, streamer_handle=handle, is_admin=admin)
            for county_id in dict.fromkeys(county_ids):
                db.session.add(CommissionerCounty(user_id=user.id, county_id=county_id))
            db.session.commit()
            token = accounts.issue_api_token(user, "created on the command line")
        except DomainError as error:
            _fail(error)
        click.echo(f"Created {role} {name}" + (f" bound to streamer {handle}" if handle else "") + ".")
        if generated:
            click.echo(f"Password: {password}")
        click.echo("API token (shown once):")
        click.echo(token)

    @app.cli.command("ingest-key")
    @click.argument("name")
    def ingest_key(name: str) -> None:
        """Create an ingest key for a sales platform; the last line is 'KEY_ID SECRET'."""
        try:
            key, secret = keys.create_ingest_key(name)
        except DomainError as error:
            _fail(error)
        click.echo(f"Ingest key {name!r} created. Sign each POST /api/v1/sales with it (CONTRACT section 3).")
        click.echo(f"{key.key_id} {secret}")

    @app.cli.command("screen-token")
    @click.option("--campaign", "campaign_id", type=int, required=True)
    @click.option("--name", default="", help="what the screen is, e.g. 'county office'")
    def screen_token(campaign_id: int, name: str) -> None:
        """Create a tally screen link for a campaign; the last line is its URL path."""
        try:
            _row, token = keys.create_screen_token(campaign_id, name)
        except DomainError as error:
            _fail(error)
        click.echo(f"Open {_base_url()}/screen/{token} on the screen. The path:")
        click.echo(f"/screen/{token}")

    @app.cli.command("simulate-sales")
    @click.option("--campaign", "campaign_id", type=int, help="the campaign to sell in")
    @click.option("--demo", "use_demo", is_flag=True, help="sell in the demo campaign")
    @click.option("--rate", type=float, default=20.0, show_default=True, help="events a second")
    @click.option("--seconds", type=float, default=60.0, show_default=True)
    @click.option("--url", default=None, help="the coordinator to post to (default: http://HOST:PORT)")
    def simulate_sales(campaign_id: int | None, use_demo: bool, rate: float, seconds: float, url: str | None) -> None:
        """Post realistic signed orders and refunds through the real webhook."""
        from coordinator.services import simulator

        if use_demo:
            campaign_id = demo.campaign_id()
        if campaign_id is None:
            click.echo("error: give --campaign ID (or --demo)", err=True)
            sys.exit(2)
        shelf_list = simulator.shelves(campaign_id)
        if not shelf_list:
            click.echo(f"error: campaign {campaign_id} has no session with a lineup to sell into", err=True)
            sys.exit(1)
        key, secret = keys.create_ingest_key("sales simulator")
        key_id = key.key_id
        db.session.remove()  # the posts go through HTTP; hold no database connection meanwhile
        target = url or _base_url()
        click.echo(f"Posting about {rate:g} events/s for {seconds:g} s to {target} (key {key_id}) …")
        outcome = simulator.run(target, key_id, secret, shelf_list, rate, seconds, report=click.echo)
        click.echo(f"Posted {outcome['events']} events; answers: {outcome['statuses']}")

    @app.cli.command("scheduler")
    def run_scheduler() -> None:
        """Run the session scheduler in this process (SCHEDULER_MODE=standalone); one at a time per database."""
        from coordinator import jobs

        if current_app.config["SCHEDULER_MODE"] != "standalone":
            click.echo("error: set SCHEDULER_MODE=standalone for the web processes and this one", err=True)
            sys.exit(1)
        click.echo("Scheduler waiting for its lock; it runs once no other scheduler holds it (Ctrl-C stops).")
        jobs.run_standalone(current_app._get_current_object())

    @app.cli.command("demo")
    def load_demo() -> None:
        """Load the demo campaign and print how to log in; the last line is the screen URL path."""
        try:
            logins = demo.load()
        except DomainError as error:
            _fail(error)
        counties = db.session.scalar(select(db.func.count(County.id)))
        click.echo(f"Demo loaded: {counties} counties, campaign {logins.campaign_id}.")
        click.echo(f"Open:               {_base_url()}/")
        click.echo(f"Commissioner login: {logins.commissioner[0]} / {logins.commissioner[1]}")
        click.echo(f"Streamer login:     {logins.streamer[0]} / {logins.streamer[1]}")
        click.echo(f"Commissioner API token: {logins.api_token}")
        click.echo(f"Ingest key:         {logins.ingest_key} {logins.ingest_secret}")
        click.echo(f"Tally screen:       {_base_url()}{logins.screen_path}")
        click.echo(logins.screen_path)
