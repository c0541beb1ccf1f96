/** One customer's CLV figures (src/clv-store/customer-prediction.ts), for the server's `GET /customers/{id}/clv`. */
export { type CustomerClv, customerClv } from "../clv-store/customer-prediction.js";
