import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { resolveOrmEntities } from '../../../src/core/workspace/ormEntities';
import { placedJoins, qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/orm');
const name = qualifiedColumn;
/** A file's relationships, with targets in other files left at their defaults (as when those files declare nothing). */
const relationships = (file: string, as = file): string[] =>
  resolveOrmEntities(extractFile(as, readFileSync(path.join(dir, file)), { dbtProjects: [] }).joins, []).map(
    (j, i, all) => `${j.origin.line}: ${name(j.left)} -> ${name(j.right)} ${j.via}${j.keyColumns ? ` (${all.slice(0, i + 1).filter((x) => x.condition?.line === j.condition?.line).length} of ${j.keyColumns})` : ''}`,
  );

describe('ORM relationships in Python models', () => {
  it("reads Flask-SQLAlchemy models: db.Model and its subclasses, named for their class without __tablename__", () => {
    const facts = extractFile('flask/shop/models.py', readFileSync(path.join(dir, 'flask/shop/models.py')), { dbtProjects: [] });
    assert.deepEqual(
      resolveOrmEntities(facts.joins, facts.entities ?? []).map((j) => `${j.origin.line}: ${name(j.left)} -> ${name(j.right)} ${j.via}`),
      [
        // db.Table: Core, without a metadata argument
        '37: order_tags.order_id -> purchase_order.id orm-foreign-key',
        '38: order_tags.tag_id -> tag.id orm-foreign-key',
        '18: order_line.order_id -> purchase_order.id orm-foreign-key',
        // a column named otherwise than its attribute
        '19: order_line.sku -> skus.code orm-foreign-key',
        '24: purchase_order.customer_id -> customer.id orm-foreign-key',
        // the join a relationship's condition writes, between classes of the file
        '26: purchase_order.id -> order_line.order_id query-builder',
      ],
    );
    // an abstract base has no table; a subclass of the file's Flask model is one; no Django `<app>_<model>` tables
    assert.deepEqual(
      (facts.entities ?? []).map((e) => `${e.name} ${e.table.name}${e.idColumn ? `.${e.idColumn}` : ''}`),
      ['order_tags order_tags', 'Customer customer', 'OrderLine order_line', 'PurchaseOrder purchase_order.id', 'Sku skus.code'],
    );
  });

  it('puts a subclass without a table of its own on its parent\'s (single-table inheritance), declarative or Flask', () => {
    const text = [
      'from sqlalchemy import ForeignKey, Integer',
      'from sqlalchemy.orm import DeclarativeBase, mapped_column',
      'from app import db',
      'class Base(DeclarativeBase):',
      '    pass',
      'class Payment(Base):',
      '    __tablename__ = "payments"',
      '    __table_args__ = {"schema": "billing"}',
      '    id = mapped_column(Integer, primary_key=True)',
      'class CardPayment(Payment):',
      '    __mapper_args__ = {"polymorphic_identity": "card"}',
      '    card_id = mapped_column(ForeignKey("billing.cards.id"))',
      'class Employee(db.Model):',
      '    id = db.Column(db.Integer, primary_key=True)',
      'class Engineer(Employee):',
      '    team_id = db.Column(db.Integer, db.ForeignKey("team.id"))',
      'class Manager(Employee):',
      '    id = db.Column(db.Integer, db.ForeignKey("employee.id"), primary_key=True)',
      'def late(session):',
      '    return session.query(CardPayment).join(Card, CardPayment.card_id == Card.id)',
      'class UserModel(Base):',
      '    __tablename__ = "users"',
      '    id = mapped_column(Integer, primary_key=True)',
      'class AdminModel(UserModel):',
      '    org_id = mapped_column(ForeignKey("orgs.id"))',
      'class Card(Base):',
      '    __tablename__ = "cards"',
      '    __table_args__ = {"schema": "billing"}',
      '    id = mapped_column(Integer, primary_key=True)',
    ].join('\n');
    const facts = extractFile('app/models.py', Buffer.from(text), { dbtProjects: [] });
    assert.deepEqual(
      resolveOrmEntities(facts.joins, facts.entities ?? []).map((j) => `${j.origin.line}: ${name(j.left)} -> ${name(j.right)} ${j.via}`),
      [
        '12: billing.payments.card_id -> billing.cards.id orm-foreign-key',
        // Flask: no primary key of its own, so no table of its own
        '16: employee.team_id -> team.id orm-foreign-key',
        // a primary key of its own: joined-table inheritance, its own table
        '18: manager.id -> employee.id orm-foreign-key',
        // a class named …Model is SQLAlchemy's when its base has a __tablename__
        '25: users.org_id -> orgs.id orm-foreign-key',
        // a join written with the subclass lands on its hierarchy's table
        '20: billing.payments.card_id -> billing.cards.id query-builder',
      ],
    );
  });

  it("reads a ForeignKeyConstraint whose columns are the class's attributes, as Airflow's models write them", () => {
    const text = [
      'class TaskInstance(Base):',
      '    __tablename__ = "task_instance"',
      '    dag_id = Column(StringID(), primary_key=True)',
      '    run = Column("run_id", StringID(), nullable=False)',
      '    trigger_id = Column(Integer)',
      '    __table_args__ = (',
      '        ForeignKeyConstraint([dag_id, run], ["dag_run.dag_id", "dag_run.run_id"], name="task_instance_dag_run_fkey"),',
      '        ForeignKeyConstraint((trigger_id,), ["trigger.id"]),',
      '        ForeignKeyConstraint(columns=[note], refcolumns=["notes.id"]),',
      '    )',
      '    note: Mapped[int] = mapped_column("note_id")',
    ].join('\n');
    const facts = extractFile('airflow/models/taskinstance.py', Buffer.from(text), { dbtProjects: [] });
    assert.deepEqual(
      resolveOrmEntities(facts.joins, facts.entities ?? []).map((j) => `${j.origin.line}: ${name(j.left)} -> ${name(j.right)}${j.keyColumns ? ` (${j.keyColumns})` : ''}`),
      ['7: task_instance.dag_id -> dag_run.dag_id (2)', '7: task_instance.run_id -> dag_run.run_id (2)', '8: task_instance.trigger_id -> trigger.id', '9: task_instance.note_id -> notes.id'],
    );
  });

  it("gives an abstract Django model's keys to each concrete model of it, on its app's table (Oscar's layout too)", () => {
    const files: Record<string, string> = {
      // two apps each with an AbstractLine, their Meta naming the app
      'shop/apps/basket/abstract_models.py': [
        'from django.db import models',
        'class AbstractLine(models.Model):',
        '    basket = models.ForeignKey("basket.Basket", on_delete=models.CASCADE)',
        '    class Meta:',
        '        abstract = True',
        '        app_label = "basket"',
      ].join('\n'),
      'shop/apps/order/abstract_models.py': [
        'from django.db import models',
        'class AbstractLine(models.Model):',
        '    order = models.ForeignKey("order.Order", on_delete=models.CASCADE)',
        '    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)',
        '    class Meta:',
        '        abstract = True',
        '        app_label = "order"',
      ].join('\n'),
      'shop/apps/basket/models.py': 'from shop.apps.basket.abstract_models import *\nclass Line(AbstractLine):\n    pass\n',
      'shop/apps/order/models.py': 'from shop.apps.order.abstract_models import *\nif True:\n    class Line(AbstractLine):\n        pass\n',
      // a project's abstract base in its core app, imported by name
      'core/models.py': 'from django.db import models\nclass TimeStamped(models.Model):\n    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)\n    class Meta:\n        abstract = True\n',
      'billing/models.py': 'from django.db import models\nfrom core.models import TimeStamped\nclass Invoice(TimeStamped):\n    number = models.CharField(max_length=20)\n',
    };
    assert.deepEqual(
      placedJoins(files)
        .map((j) => `${j.origin.file}:${j.origin.line}: ${name(j.left)} -> ${name(j.right)}`)
        .sort(),
      [
        'core/models.py:3: billing_invoice.created_by_id -> auth_user.id',
        'shop/apps/basket/abstract_models.py:3: basket_line.basket_id -> basket_basket.id',
        'shop/apps/order/abstract_models.py:3: order_line.order_id -> order_order.id',
        // 'self' in an abstract model: the concrete model itself
        'shop/apps/order/abstract_models.py:4: order_line.parent_id -> order_line.id',
      ],
    );
  });

  it("places Django's multi-table inheritance, proxies and a model named as its abstract base; another library's base is no model's", () => {
    const files: Record<string, string> = {
      'places/models.py': [
        'from django.db import models',
        'class Place(models.Model):',
        '    name = models.CharField(max_length=50)',
        'class Restaurant(Place):',
        '    chef = models.ForeignKey("people.Person", on_delete=models.CASCADE)',
        'class ProxyPlace(Place):',
        '    class Meta:',
        '        proxy = True',
      ].join('\n'),
      'reviews/models.py': 'from django.db import models\nclass Review(models.Model):\n    restaurant = models.ForeignKey("places.Restaurant", on_delete=models.CASCADE)\n    place = models.ForeignKey("places.ProxyPlace", on_delete=models.CASCADE)\n',
      'shop/base.py': 'from django.db import models\nclass Product(models.Model):\n    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE)\n    class Meta:\n        abstract = True\n',
      'shop/models.py': 'from shop import base\nclass Product(base.Product):\n    pass\n',
      'orders/models.py': 'from django.db import models\nclass Line(models.Model):\n    product = models.ForeignKey("shop.Product", on_delete=models.CASCADE)\n',
      'core/models.py': 'from django.db import models\nclass BaseModel(models.Model):\n    owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)\n    class Meta:\n        abstract = True\n',
      'service/models.py': 'from pydantic import BaseModel\nclass OrderOut(BaseModel):\n    id: int\n',
    };
    assert.deepEqual(
      placedJoins(files)
        .map((j) => `${j.origin.file}:${j.origin.line}: ${name(j.left)} -> ${name(j.right)}`)
        .sort(),
      [
        'orders/models.py:3: orders_line.product_id -> shop_product.id',
        // a child's own table, its id a key to its parent's
        'places/models.py:4: places_restaurant.place_ptr_id -> places_place.id',
        'places/models.py:5: places_restaurant.chef_id -> people_person.id',
        'reviews/models.py:3: reviews_review.restaurant_id -> places_restaurant.id',
        // a proxy is its parent's rows
        'reviews/models.py:4: reviews_review.place_id -> places_place.id',
        'shop/base.py:3: shop_product.vendor_id -> vendors_vendor.id',
      ],
    );
  });

  it("gives a mixin's keys to each mapped class that lists it, @declared_attr columns too (Flask-AppBuilder's AuditMixin)", () => {
    const files: Record<string, string> = {
      'superset/models/helpers.py': [
        'import sqlalchemy as sa',
        'from sqlalchemy.ext.declarative import declared_attr',
        'class AuditMixin:',
        '    @declared_attr',
        '    def created_by_fk(cls):',
        '        return sa.Column(sa.Integer, sa.ForeignKey("ab_user.id"), nullable=False)',
        'class AuditMixinNullable(AuditMixin):',
        '    @declared_attr',
        '    def changed_by_fk(cls):',
        '        return sa.Column("changed_by", sa.Integer, sa.ForeignKey("ab_user.id"), nullable=True)',
      ].join('\n'),
      'superset/models/dashboard.py': 'from superset.models.helpers import AuditMixinNullable\nclass Dashboard(AuditMixinNullable, ImportExportMixin, Model):\n    __tablename__ = "dashboards"\n    id = Column(Integer, primary_key=True)\n',
    };
    assert.deepEqual(
      placedJoins(files).map((j) => `${j.origin.line}: ${name(j.left)} -> ${name(j.right)}`).sort(),
      ['10: dashboards.changed_by -> ab_user.id', '6: dashboards.created_by_fk -> ab_user.id'],
    );
  });

  it('takes no mixin, and no model of another library, for a Flask-SQLAlchemy model', () => {
    const mixin = 'from app import db\nclass AuditMixin(object):\n    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))\nclass Order(db.Model, AuditMixin):\n    id = db.Column(db.Integer, primary_key=True)\n';
    const facts = extractFile('app/models.py', Buffer.from(mixin), { dbtProjects: [] });
    assert.deepEqual(facts.entities?.filter((e) => !e.mappedSuperclass).map((e) => e.table.name), ['order']);
    // the mixin has no table: its key is each model's that lists it
    assert.deepEqual(resolveOrmEntities(facts.joins, facts.entities ?? []).map((j) => `${name(j.left)} -> ${name(j.right)}`), ['order.created_by_id -> users.id']);
    const peewee = 'import peewee\nclass Order(peewee.Model):\n    customer = peewee.ForeignKeyField(Customer)\n    primary_key=True\n';
    assert.deepEqual(extractFile('shop/models.py', Buffer.from(peewee), { dbtProjects: [] }).entities ?? [], []);
  });

  it("reads Django's ForeignKey and OneToOneField as the tables and columns Django makes of them", () => {
    assert.deepEqual(relationships('shop/models.py'), [
      // the target's own primary key (code), not id
      '21: shop_orders.customer_id -> shop_customer.code orm-foreign-key',
      // settings.AUTH_USER_MODEL is Django's auth user
      '22: shop_orders.owner_id -> auth_user.id orm-foreign-key',
      // a model imported from another app's models is that app's
      '23: shop_orders.team_id -> accounts_team.id orm-foreign-key',
      '24: shop_orders.parent_id -> shop_orders.id orm-foreign-key',
      // 'app.Model', db_column
      '25: shop_orders.invoice_ref -> billing_invoice.id orm-one-to-one',
      // a field written over several lines; to_field
      '32: shop_line.order_id -> shop_orders.id orm-foreign-key',
      '36: shop_line.sku_id -> shop_sku.sku_code orm-foreign-key',
      // ManyToManyField: Django's join table, a key to each side; a relation to itself; db_table; `through` declares its own
      '41: shop_tag_orders.tag_id -> shop_tag.id orm-foreign-key',
      '41: shop_tag_orders.order_id -> shop_orders.id orm-foreign-key',
      '42: shop_tag_related.from_tag_id -> shop_tag.id orm-foreign-key',
      '42: shop_tag_related.to_tag_id -> shop_tag.id orm-foreign-key',
      '43: tag_invoices.tag_id -> shop_tag.id orm-foreign-key',
      '43: tag_invoices.invoice_id -> billing_invoice.id orm-foreign-key',
    ]);
  });

  it("places a relationship to another app's model on what that model declares: its db_table and primary key", async () => {
    const indexer = new WorkspaceIndexer({ root: dir });
    try {
      const joins = (await indexer.indexAll()).joins.filter((j) => j.origin.file === 'shop/models.py');
      const invoice = joins.find((j) => j.left.column === 'invoice_ref')!;
      assert.equal(`${name(invoice.left)} -> ${name(invoice.right)}`, 'shop_orders.invoice_ref -> billing_invoices.invoice_no');
      // a model declared nowhere in the workspace keeps Django's defaults
      const team = joins.find((j) => j.left.column === 'team_id')!;
      assert.equal(name(team.right), 'accounts_team.id');
    } finally {
      await indexer.dispose();
    }
  });

  it("reads SQLAlchemy's ForeignKey('table.column') in Column and mapped_column, and __table_args__' ForeignKeyConstraint, with __tablename__ and its schema", () => {
    assert.deepEqual(relationships('etl/schema.py'), [
      '19: sales.invoices.vendor_id -> sales.vendors.vendor_id orm-foreign-key',
      // Column('payer_id', …) names the column apart from the attribute
      '20: sales.invoices.payer_id -> people.id orm-foreign-key',
      // __table_args__' ForeignKeyConstraints: a composite key, and one of one column
      '26: sales.invoice_lines.store_id -> sales.tills.store_id orm-foreign-key (1 of 2)',
      '26: sales.invoice_lines.till_no -> sales.tills.till_no orm-foreign-key (2 of 2)',
      '27: sales.invoice_lines.invoice_id -> sales.invoices.invoice_id orm-foreign-key',
    ]);
  });

  it("reads SQLAlchemy Core's Table(…, Column('name', …, ForeignKey('…')), schema=…)", () => {
    assert.deepEqual(relationships('etl/core_tables.py'), [
      '9: sales.orders.customer_id -> crm.customers.customer_id orm-foreign-key',
      '14: order_lines.order_id -> sales.orders.order_id orm-foreign-key',
    ]);
  });

  it("reads the keys Alembic migrations declare: op.create_table, ForeignKeyConstraint, create_foreign_key in and out of a batch", () => {
    assert.deepEqual(relationships('alembic/versions/3f2a9c1d7e10_create_orders.py'), [
      '17: sales.orders.customer_id -> sales.customers.customer_id migration-foreign-key',
      // a one-column constraint, and a composite one
      '21: sales.orders.carrier_code -> carriers.code migration-foreign-key',
      '22: sales.orders.store_id -> tills.store_id migration-foreign-key (1 of 2)',
      '22: sales.orders.till_no -> tills.till_no migration-foreign-key (2 of 2)',
      // schemas by keyword
      '25: sales.orders.store_id -> retail.stores.store_id migration-foreign-key',
      // every argument by keyword
      '26: order_lines.order_id -> orders.order_id migration-foreign-key',
      // the batch's table
      '35: sales.shipments.order_id -> sales.orders.order_id migration-foreign-key',
    ]);
  });

  it('outside a Django app, keeps only what names its tables; a class that is not a model gives nothing', () => {
    // the same models outside models.py: no app, so only db_table and targets of a named app give table names
    assert.deepEqual(relationships('shop/models.py', 'scripts/notes.py'), [
      '22: shop_orders.owner_id -> auth_user.id orm-foreign-key',
      '23: shop_orders.team_id -> accounts_team.id orm-foreign-key',
      '24: shop_orders.parent_id -> shop_orders.id orm-foreign-key',
      '25: shop_orders.invoice_ref -> billing_invoice.id orm-one-to-one',
    ]);
    const facts = extractFile('app/util.py', Buffer.from('class Helper:\n    key = ForeignKey\n    other = make(ForeignKey("x"))\n'), { dbtProjects: [] });
    assert.deepEqual(facts.joins, []);
  });
});
