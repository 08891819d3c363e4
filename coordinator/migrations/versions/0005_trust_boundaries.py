"""trust boundaries: campaign teams, streamer managers, scoped ingest keys, server-side logins, calendar renewal

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 13:48:08.811289

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_epochs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('epoch', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_epochs'))
    )
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_sessions_token_hash'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('campaign_members',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('editor', 'viewer')", name=op.f('ck_campaign_members_role_valid')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_members_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_campaign_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'user_id', name=op.f('pk_campaign_members'))
    )
    with op.batch_alter_table('campaign_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_members_user_id'), ['user_id'], unique=False)

    op.create_table('ingest_key_campaigns',
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_ingest_key_campaigns_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['key_id'], ['ingest_keys.id'], name=op.f('fk_ingest_key_campaigns_key_id_ingest_keys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key_id', 'campaign_id', name=op.f('pk_ingest_key_campaigns'))
    )
    with op.batch_alter_table('ingest_key_campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ingest_key_campaigns_campaign_id'), ['campaign_id'], unique=False)

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_campaigns_owner_id'), ['owner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_campaigns_owner_id_users'), 'users', ['owner_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('ingest_keys', schema=None) as batch_op:
        # Keys made before campaigns scoped them keep posting for every campaign, as they did.
        batch_op.add_column(sa.Column('all_campaigns', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('ingest_keys', schema=None) as batch_op:
        batch_op.alter_column('all_campaigns', server_default=None)

    with op.batch_alter_table('streamers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('manager_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('calendar_generation', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_streamers_manager_id'), ['manager_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_streamers_manager_id_users'), 'users', ['manager_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('login_generation')

    # Each campaign's creator owns it; each streamer is managed by whoever registered it (the audit trail is read
    # once here to carry that over, never again); sockets start at epoch 0.
    op.execute("UPDATE campaigns SET owner_id = created_by_id")
    op.execute("UPDATE streamers SET manager_id = (SELECT MIN(a.user_id) FROM audit_entries a WHERE "
               "a.entity_type = 'streamers' AND a.entity_id = streamers.id AND a.action IN ('create', 'import'))")
    op.execute("INSERT INTO access_epochs (id, epoch) VALUES (1, 0)")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login_generation', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('streamers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_streamers_manager_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_streamers_manager_id'))
        batch_op.drop_column('calendar_generation')
        batch_op.drop_column('manager_id')

    with op.batch_alter_table('ingest_keys', schema=None) as batch_op:
        batch_op.drop_column('all_campaigns')

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_campaigns_owner_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_campaigns_owner_id'))
        batch_op.drop_column('owner_id')

    with op.batch_alter_table('ingest_key_campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ingest_key_campaigns_campaign_id'))

    op.drop_table('ingest_key_campaigns')
    with op.batch_alter_table('campaign_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_members_user_id'))

    op.drop_table('campaign_members')
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))

    op.drop_table('login_sessions')
    op.drop_table('access_epochs')
