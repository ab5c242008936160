import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { classifyFile } from '../../../src/core/workspace/classify';
import { tokenize } from '../../../src/core/workspace/codeConstants/lexer';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { resolveOrmEntities } from '../../../src/core/workspace/ormEntities';
import { coldAndWarm, placedJoins, qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/csharp');
const context = { dbtProjects: [] };
const order = () => extractFile('Shop/Models/Order.cs', readFileSync(path.join(dir, 'Shop/Models/Order.cs')), context);

const keysOf = (files: Record<string, string>): string[] =>
  placedJoins(files)
    .filter((j) => j.via)
    .map((j) => `${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`);

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
          // (OrderLine's [Table] class would guess OrderId for its Order by convention: the context configures that navigation)
        ],
        run,
      );
    });
  });

  it('keys what EF would, wherever the classes and their configuration are (review cases)', () => {
    const ctx = (body: string, sets = '') => `class Ctx : DbContext {\n${sets}\nprotected override void OnModelCreating(ModelBuilder modelBuilder) {\n${body}\n} }`;
    // a repository's DbSet field names no table; the context's DbSet property does
    assert.deepEqual(
      keysOf({
        'Data/Ctx.cs': ctx('modelBuilder.Entity<Order>().HasOne(o => o.Customer).WithMany(c => c.Orders).HasForeignKey(o => o.CustomerId);', 'public DbSet<Order> Orders { get; set; }\npublic DbSet<Customer> Customers => Set<Customer>();'),
        'Repositories/OrderRepository.cs': 'class OrderRepository { private readonly DbSet<Order> _orders; DbSet<Customer> customers; }',
      }),
      ['Orders.CustomerId -> Customers.Id'],
    );
    // a one-to-one configured from the principal's side, the classes in another file
    assert.deepEqual(
      keysOf({
        'Config/ProductConfiguration.cs': 'class ProductConfiguration : IEntityTypeConfiguration<Product> { public void Configure(EntityTypeBuilder<Product> b) { b.ToTable("products"); b.HasOne(p => p.Detail).WithOne(d => d.Product).HasForeignKey<ProductDetail>(d => d.ProductId); } }\nclass ProductDetailConfiguration : IEntityTypeConfiguration<ProductDetail> { public void Configure(EntityTypeBuilder<ProductDetail> b) => b.ToTable("product_details"); }',
        'Models/Product.cs': 'public class Product { public int Id { get; set; } public virtual ProductDetail Detail { get; set; } }\npublic class ProductDetail { public int Id { get; set; } public int ProductId { get; set; } public virtual Product Product { get; set; } }',
      }),
      ['product_details.ProductId -> products.Id'],
    );
    // a composite key to a composite key, paired in order; EF's shadow key after a principal key of another name
    assert.deepEqual(
      keysOf({
        'Ctx.cs': ctx(
          [
            'modelBuilder.Entity<Shipment>(e => { e.ToTable("shipments"); e.HasOne(s => s.OrderLine).WithMany().HasForeignKey(s => new { s.OrderId, s.LineNo }); });',
            'modelBuilder.Entity<OrderLine>(e => { e.ToTable("order_lines"); e.HasKey(x => new { x.OrderId, x.LineNo }); e.Property(x => x.OrderId).HasColumnName("order_id"); e.Property(x => x.LineNo).HasColumnName("line_no"); });',
            'modelBuilder.Entity<Invoice>(e => { e.ToTable("invoices"); e.HasKey(x => x.Number); });',
            'modelBuilder.Entity<Payment>(e => { e.ToTable("payments"); e.HasOne(x => x.Invoice).WithMany(i => i.Payments); });',
          ].join('\n'),
        ),
      }),
      ['shipments.OrderId -> order_lines.order_id', 'shipments.LineNo -> order_lines.line_no', 'payments.InvoiceNumber -> invoices.Number'],
    );
    // the fluent key replaces the one conventions would guess, and places an annotated class's collection
    assert.deepEqual(
      keysOf({
        'Data/Ctx.cs': ctx('modelBuilder.Entity<Order>().HasOne(o => o.Customer).WithMany().HasForeignKey(o => o.CustomerRef);\nmodelBuilder.Entity<Blog>(e => { e.ToTable("blogs", "dbo"); e.HasKey(x => x.Code); e.Property(x => x.Code).HasColumnName("blog_code"); });'),
        'Models/Order.cs': '[Table("orders")] public class Order { public int Id { get; set; } public int CustomerId { get; set; } public int CustomerRef { get; set; } public Customer Customer { get; set; } }\n[Table("customers")] public class Customer { public int Id { get; set; } }\n[Table("Blog")] public class Blog { public int Id { get; set; } public string Code { get; set; } public ICollection<Post> Posts { get; set; } }',
      }).sort(),
      ['Post.BlogId -> dbo.blogs.blog_code', 'orders.CustomerRef -> customers.Id'],
    );
    // table-per-hierarchy (EF's default): a derived class is on its base's table; HasDefaultSchema; a derived
    // configuration class's Configure; a builder variable given another entity
    assert.deepEqual(
      keysOf({
        'Data/Ctx.cs': ctx('modelBuilder.HasDefaultSchema("zoo");\nmodelBuilder.Entity<Cat>().HasOne(c => c.Owner).WithMany(o => o.Cats).HasForeignKey(c => c.OwnerId);\nvar b = modelBuilder.Entity<Owner>(); b.ToTable("owners");\nb = modelBuilder.Entity<Vet>(); b.ToTable("vets");', 'public DbSet<Animal> Animals { get; set; }\npublic DbSet<Cat> Cats { get; set; }'),
        'Models/Animals.cs': 'public class Animal { public int Id { get; set; } }\npublic class Cat : Animal, IPet { public int OwnerId { get; set; } public virtual Owner Owner { get; set; } }\npublic class Owner { public int Id { get; set; } public virtual ICollection<Cat> Cats { get; set; } }',
        'Config/VisitConfiguration.cs': 'class VisitConfiguration : AuditedConfiguration<Visit> { public override void Configure(EntityTypeBuilder<Visit> b) { b.ToTable("visits"); b.HasOne(v => v.Vet).WithMany().HasForeignKey(v => v.VetId); } }',
      }).sort(),
      ['zoo.Animals.OwnerId -> zoo.owners.Id', 'zoo.visits.VetId -> zoo.vets.Id'],
    );
  });

  it('maps inheritance as EF does: a base class no context has is no table; TPT; partial classes; one default schema', () => {
    // Clean Architecture: entities derive from a BaseEntity no DbContext maps, so each keeps its own table
    assert.deepEqual(
      keysOf({
        'Domain/Common/BaseEntity.cs': 'public abstract class BaseEntity { public int Id { get; set; } }\npublic abstract class BaseAuditableEntity : BaseEntity { public virtual User CreatedBy { get; set; } }',
        'Domain/TodoItem.cs': 'public class TodoItem : BaseAuditableEntity { public int ListId { get; set; } public virtual TodoList List { get; set; } }\npublic class TodoList : BaseAuditableEntity { public virtual ICollection<TodoItem> Items { get; set; } }',
        'Infrastructure/AppDbContext.cs': 'public class AppDbContext : DbContext { public DbSet<TodoItem> TodoItems { get; set; } public DbSet<TodoList> TodoLists { get; set; }\nprotected override void OnModelCreating(ModelBuilder modelBuilder) { modelBuilder.Entity<TodoItem>().HasOne(i => i.List).WithMany(l => l.Items).HasForeignKey(i => i.ListId); } }',
      }),
      ['TodoItems.ListId -> TodoLists.Id'],
    );
    // table-per-type: declared on the base, or a derived type with a table of its own
    assert.deepEqual(
      keysOf({
        'Models/Animal.cs': 'public class Animal { public int Id { get; set; } }\npublic class Cat : Animal { public int VetId { get; set; } [ForeignKey("VetId")] public Vet Vet { get; set; } }\n[Table("Dogs")] public class Dog : Pet { public int VetId { get; set; } public Vet Vet { get; set; } }\npublic class Pet { public int Id { get; set; } }',
        'Data/Ctx.cs': 'public class Ctx : DbContext { public DbSet<Animal> Animals { get; set; } public DbSet<Cat> Cats { get; set; } public DbSet<Pet> Pets { get; set; } public DbSet<Dog> Dogs { get; set; }\nprotected override void OnModelCreating(ModelBuilder modelBuilder) { modelBuilder.Entity<Animal>().UseTptMappingStrategy(); } }',
      }).sort(),
      ['Cats.VetId -> Vet.id', 'Dogs.VetId -> Vet.id'],
    );
    // a partial class's navigation in its other part; HasDefaultSchema for the classes of other files too; a
    // conventional key replaced by the fluent one, whose navigation is named otherwise than its class
    assert.deepEqual(
      keysOf({
        'Models/Order.cs': '[Table("orders")] public partial class Order { public int Id { get; set; } public int BuyerId { get; set; } public int CustomerId { get; set; } }',
        'Models/Order.Navigations.cs': 'public partial class Order { public virtual Customer Buyer { get; set; } }',
        'Models/Customer.cs': '[Table("customers")] public class Customer { public int Id { get; set; } public ICollection<Order> Orders { get; set; } }',
        'Data/Ctx.cs': 'public class Ctx : DbContext {\nprotected override void OnModelCreating(ModelBuilder modelBuilder) { modelBuilder.HasDefaultSchema("sales"); modelBuilder.Entity<Order>().HasOne(o => o.Buyer).WithMany(c => c.Orders).HasForeignKey(o => o.BuyerId); } }',
      }),
      ['sales.orders.BuyerId -> sales.customers.Id'],
    );
  });

  it("keys an owned type's own table to its owner (OwnsMany, OwnsOne with ToTable); one in its owner's table has none", () => {
    const text = [
      'class Ctx : DbContext { protected override void OnModelCreating(ModelBuilder b) {',
      '  b.Entity<Order>(e => {',
      '    e.ToTable("orders", "sales");',
      '    e.OwnsMany(o => o.Lines, l => { l.ToTable("order_lines", "sales"); l.WithOwner().HasForeignKey("OrderId"); l.Property<int>("OrderId").HasColumnName("order_id"); });',
      '    e.OwnsOne(o => o.ShipTo, a => { a.Property(x => x.Street).HasColumnName("ship_street"); });',
      '    e.OwnsOne(o => o.Billing, a => a.ToTable("order_billing"));',
      '    e.HasKey(x => x.Id); e.Property(x => x.Id).HasColumnName("order_id");',
      '  });',
      '} }',
    ].join('\n');
    const f = extractFile('Ctx.cs', Buffer.from(text), context);
    assert.deepEqual(
      resolveOrmEntities(f.joins, f.entities ?? []).map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`),
      ['4: sales.order_lines.order_id -> sales.orders.order_id', '6: order_billing.OrderId -> sales.orders.order_id'],
    );
    // a type owned by an owned type has no entity to key to
    const nested = 'class Ctx : DbContext { protected override void OnModelCreating(ModelBuilder b) { b.Entity<Distributor>(e => e.OwnsMany(d => d.Centers, s => { s.ToTable("centers"); s.OwnsMany(c => c.Docks, d => d.ToTable("docks")); })); } }';
    const n = extractFile('Ctx.cs', Buffer.from(nested), context);
    assert.deepEqual(resolveOrmEntities(n.joins, n.entities ?? []).map((j) => `${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`), ['centers.DistributorId -> Distributor.Id']);
  });

  it("gives an entity the default schema of its own DbContext, not another's", () => {
    const files: Record<string, string> = {
      'Sales/SalesContext.cs': 'class SalesContext : DbContext { public DbSet<Order> Orders { get; set; } public DbSet<Customer> Customers { get; set; }\nprotected override void OnModelCreating(ModelBuilder modelBuilder) { modelBuilder.HasDefaultSchema("sales"); modelBuilder.Entity<Order>().HasOne(o => o.Customer).WithMany().HasForeignKey(o => o.CustomerId); } }',
      'Audit/AuditContext.cs': 'class AuditContext : DbContext { public DbSet<AuditEntry> AuditEntries { get; set; } public DbSet<Login> Logins { get; set; } }',
      'Audit/AuditEntry.cs': 'class AuditEntry { public int Id { get; set; } [ForeignKey("Login")] public int LoginId { get; set; } public Login Login { get; set; } }\nclass Login { [Key] public int Id { get; set; } }',
    };
    assert.deepEqual(keysOf(files).sort(), ['AuditEntries.LoginId -> Logins.Id', 'sales.Orders.CustomerId -> sales.Customers.Id']);
  });

  it('places a class among its own language\'s: a C# class does not stand for a Java entity of its name', () => {
    const files: Record<string, string> = {
      'client/Models/Customer.cs': 'public class Customer { public int Id { get; set; } public virtual ICollection<Order> Orders { get; set; } }',
      'server/Customer.java': '@Entity @Table(name = "customers") public class Customer { @Id @Column(name = "customer_id") private Long id; }',
      'server/Order.java': '@Entity @Table(name = "orders") public class Order { @Id private Long id; @ManyToOne @JoinColumn(name = "customer_id") private Customer customer; }',
    };
    assert.deepEqual(keysOf(files), ['orders.customer_id -> customers.customer_id']);
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
