"""SQLAlchemy models of the catalogue service, which writes sales.skuinfo before the nightly copy to Redshift.

The warehouse declares no key between skuinfo and vendors; this model does.
"""
from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Vendor(Base):
    __tablename__ = "vendors"
    __table_args__ = {"schema": "sales"}

    vendor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vendor_name: Mapped[str] = mapped_column(String(128))


class Sku(Base):
    __tablename__ = "skuinfo"
    __table_args__ = {"schema": "sales"}

    sku_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku_name: Mapped[str] = mapped_column(String(256))
    vendor_id: Mapped[int] = mapped_column(ForeignKey("sales.vendors.vendor_id"))
    list_price = mapped_column(Numeric(10, 2))
    is_discontinued: Mapped[bool] = mapped_column(Boolean, default=False)
