<?php

use Illuminate\Database\Migrations\Migration;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\Schema;

// The shop database's orders table, which the nightly load copies to sales.orderinfo.
return new class extends Migration
{
    public function up(): void
    {
        Schema::create('orderinfo', function (Blueprint $table) {
            $table->bigIncrements('order_id');
            $table->unsignedInteger('customer_id');
            $table->unsignedInteger('product_id');
            $table->unsignedInteger('vendor_id')->nullable();
            $table->unsignedSmallInteger('order_status');
            $table->unsignedInteger('quantity');
            $table->decimal('unit_price', 10, 2);
            $table->string('promo_code', 32)->nullable();
            $table->timestamp('order_ts');

            $table->foreign('customer_id')->references('customer_id')->on('customers');
            // the product ordered is a SKU: the names differ
            $table->foreign('product_id')->references('sku_id')->on('skuinfo');
        });
    }

    public function down(): void
    {
        Schema::dropIfExists('orderinfo');
    }
};
