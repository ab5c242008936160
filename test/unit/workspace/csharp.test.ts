import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { classifyFile } from '../../../src/core/workspace/classify';
import { tokenize } from '../../../src/core/workspace/codeConstants/lexer';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { resolveOrmEntities } from '../../../src/core/workspace/ormEntities';
import { coldAndWarm, qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/csharp');
const context = { dbtProjects: [] };
const order = () => extractFile('Shop/Models/Order.cs', readFileSync(path.join(dir, 'Shop/Models/Order.cs')), context);

describe('C#', () => {
  it('is a file kind of its own, lexed with verbatim, interpolated and raw strings', () => {
    assert.equal(classifyFile('Shop/Models/Order.cs', context), 'csharp');
    const text = 'var a = @"c:\\dir ""q"""; var b = $"id = {x.Id} {{y}}"; var c = """\n  raw "quoted" {z}\n  """; var d = \'"\'; var @class = "e\\tf";';
    assert.deepEqual(
      tokenize(text, 'csharp').filter((t) => t.type === 'str').map((t) => [t.value, t.interpolated]),
      [
        ['c:\\dir "q"', false],
        ['id = :__expr__ {y}', true],
        ['\n  raw "quoted" {z}\n  ', false],
        ['"', false],
        ['e f', false],
      ],
    );
  });

  it('keeps reading after a verbatim string opening with a quote, a preprocessor line with an apostrophe, and $$ raw strings', () => {
    const text = 'string s = @"""quoted"" text";\n#region Customer\'s orders\nvar j = $$"""\n {"a": {{id}} }\n""";\nenum S { A = 1, B = 2 }\n';
    const f = extractFile('a.cs', Buffer.from(text), context);
    assert.deepEqual(f.constants.map((c) => `${c.name}:${c.entries[0]?.line}`), ['S:6']);
    assert.deepEqual(tokenize(text, 'csharp').filter((t) => t.type === 'str').map((t) => t.value), ['"quoted" text', '\n {"a": :__expr__ }\n']);
  });

  it("follows EF's conventions whatever their case, names tables after the file's DbSets, and keeps enum properties as columns", () => {
    const text = [
      'public enum Grade { A = 1, B = 2 }',
      'public class Student { public int ID { get; set; } }',
      'public class Enrollment {',
      '  public int EnrollmentID { get; set; }',
      '  [Required, Column("student_ref")] public int StudentID { get; set; }',
      '  public Student Student { get; set; }',
      '  [Column("grade_code")] public Grade Grade { get; set; }',
      '}',
      'public class SchoolContext : DbContext { public DbSet<Enrollment> Enrollments { get; set; } public DbSet<Student> Students { get; set; } }',
    ].join('\n');
    const f = extractFile('School.cs', Buffer.from(text), context);
    assert.deepEqual(f.entities?.map((e) => `${e.name} ${e.table.name}.${e.idColumn} ${JSON.stringify(e.fieldColumns ?? {})}`), [
      'Student Students.ID {}',
      'Enrollment Enrollments.EnrollmentID {"StudentID":"student_ref","Grade":"grade_code"}',
    ]);
    assert.deepEqual(resolveOrmEntities(f.joins, f.entities ?? []).map((j) => `${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`), ['Enrollments.student_ref -> Students.ID']);
  });

  it("merges a class's records as EF does: the fluent ToTable over [Table] over a DbSet, the configured key and columns", () => {
    const model = [
      'class ShopContext : DbContext {',
      '  public DbSet<Invoice> Invoices { get; set; }',
      '  protected override void OnModelCreating(ModelBuilder b) {',
      '    b.Entity<Invoice>(e => { e.Property(x => x.Number).HasColumnName("invoice_no"); e.HasKey(x => x.Number); });',
      '    b.Entity<Payment>(e => {',
      '      e.ToTable("payments", "billing");',
      '      e.Property(x => x.InvoiceNumber).HasColumnName("invoice_no");',
      '      e.HasOne(x => x.Invoice).WithMany(i => i.Payments).HasForeignKey(x => x.InvoiceNumber);',
      '      e.HasOne(x => x.Refund).WithOne(r => r.Payment);',
      '    });',
      '  }',
      '}',
    ].join('\n');
    const classes = ['[Table("PAYMENT")] public class Payment { [Key] public int Ref { get; set; } public int InvoiceNumber { get; set; } }', 'public class Invoice { public int Id { get; set; } }'].join('\n');
    const a = extractFile('Data/ShopContext.cs', Buffer.from(model), context);
    const b = extractFile('Models/Payment.cs', Buffer.from(classes), context);
    const entities = [...(b.entities ?? []), ...(a.entities ?? [])];
    assert.deepEqual(
      resolveOrmEntities([...a.joins, ...b.joins], entities).map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`),
      [
        // the fluent table over [Table("PAYMENT")], the DbSet's over the class's name, the configured key over Id
        '8: billing.payments.invoice_no -> Invoices.invoice_no',
      ],
      'a one-to-one without HasForeignKey<Dependent> names no key: EF could not tell its side either',
    );
    // the records alone, in the other order: the same merge
    assert.deepEqual(
      resolveOrmEntities(a.joins, [...(a.entities ?? []), ...(b.entities ?? [])]).map((j) => `${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`),
      ['billing.payments.invoice_no -> Invoices.invoice_no'],
    );
  });

  it('reads a DbContext written by `dotnet ef dbcontext scaffold` and IEntityTypeConfiguration classes (and from the cache)', async () => {
    await coldAndWarm(path.join(__dirname, '../../fixtures/workspace/csharp-fluent'), '.', (snap, run) => {
      assert.deepEqual(
        snap.joins
          .filter((j) => j.via)
          .map((j) => `${j.origin.file}:${j.origin.line}: ${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`)
          .sort(), // (by text: line 104 before 45)
        [
          // HasOne…WithOne…HasForeignKey<ProductDetail>: the dependent named; the key by convention on a table configured in its own class
          'Shop/Configurations/ProductConfiguration.cs:17: catalog.product_details.ProductId -> catalog.products.product_id',
          // HasMany…WithOne(r => r.Product) without HasForeignKey: EF's ProductId, mapped by Review's configuration
          'Shop/Configurations/ProductConfiguration.cs:22: catalog.reviews.product_id -> catalog.products.product_id',
          // a builder held in a variable
          'Shop/Data/ShopContext.cs:104: ops.audit_log.CustomerRef -> sales.customers.customer_id',
          'Shop/Data/ShopContext.cs:45: sales.orders.customer_id -> sales.customers.customer_id',
          // a navigation named otherwise than its class: its type, where the plain class declares it
          'Shop/Data/ShopContext.cs:50: sales.orders.bill_to -> sales.customers.customer_id',
          'Shop/Data/ShopContext.cs:68: sales.order_lines.order_id -> sales.orders.order_id',
          // scaffolding's SkuNavigation holds a Product; HasPrincipalKey names the referenced property
          'Shop/Data/ShopContext.cs:72: sales.order_lines.sku -> catalog.products.sku_code',
          // the join table of a many-to-many, as UsingEntity configures it
          'Shop/Data/ShopContext.cs:85: blog.post_tags.tag_id -> blog.tags.tag_id',
          'Shop/Data/ShopContext.cs:88: blog.post_tags.post_id -> blog.posts.post_id',
          // the annotated class's own key, on the table the context gives it
          'Shop/Models/Entities.cs:32: sales.order_lines.order_id -> sales.orders.order_id',
        ],
        run,
      );
    });
  });

  it('reads code constants: enums (implicit values too), const ints, dictionaries, switch expressions', () => {
    assert.deepEqual(
      order().constants.map((c) => `${c.name} ${c.shape} ${c.entries.map((e) => `${e.code}=${e.label}`).join(',')}`),
      [
        // an attribute on a member is stepped over
        'OrderStatus enum 1=Pending,2=Paid,3=Shipped,9=Refunded',
        'Label switch 1=Pending,2=Open,3=Open',
        // a string constant is no code
        'Carriers class-constants 1=Ups,2=FedEx',
        // both initializer forms, named by the declaration
        'Channels object 1=Web,2=App',
      ],
    );
  });

  it('reads the SQL of verbatim and interpolated strings at their lines', () => {
    assert.deepEqual(
      order().joins.filter((j) => !j.via).map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} = ${qualifiedColumn(j.right)}`),
      ['60: sales.customers.customer_id = sales.orders.customer_id', '62: sales.orders.order_id = ops.shipments.order_id'],
    );
  });

  it("reads Entity Framework classes' keys, placed on the tables other files' classes map (and from the cache)", async () => {
    await coldAndWarm(dir, '.', (snap, run) => {
      assert.deepEqual(
        snap.joins.filter((j) => j.via).map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`),
        [
          // a navigation with its <Navigation>Id property, on the target's [Table] and key by convention (<Class>Id)
          '25: sales.orders.customer_id -> sales.customers.customer_id',
          // [ForeignKey(nameof(Sku))] on the key property; the target's [Key] column
          '30: sales.orders.sku -> sales.skuinfo.sku_code',
          // a collection: the target's <Owner>Id (a class declared nowhere: its name)
          '32: OrderLine.OrderId -> sales.orders.order_id',
        ],
        run,
      );
    });
  });
});
