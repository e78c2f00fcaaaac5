import { type Expression, type RawBuilder, sql } from 'kysely';

// What a customer's accepted orders still hold (R-A4 exposure, setting `includeOpenOrders` of the
// credit module): for every line of an accepted order, the quantity not yet delivered × its unit
// price, to the cent; lines without a price count nothing. One SQL expression, correlated with the
// customer id given, so that the credit card and the credit register count alike.
export function openOrderAmount(customerId: Expression<unknown>): RawBuilder<string | number> {
  return sql<
    string | number
  >`coalesce((select round(sum(case when ol.quantity > (select coalesce(sum(od.quantity), 0) from order_deliveries od where od.line_id = ol.id) then (ol.quantity - (select coalesce(sum(od.quantity), 0) from order_deliveries od where od.line_id = ol.id)) * coalesce(ol.unit_price, 0) else 0 end), 2) from order_lines ol inner join orders oo on oo.id = ol.order_id where oo.customer_id = ${customerId} and oo.status = 'accepted'), 0)`;
}
