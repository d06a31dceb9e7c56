package io.streamviz.dashboard;

import io.streamviz.dashboard.flink.DashboardUpdateTypeInfo;
import java.io.Serializable;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A change to one widget's state. Made by the widget specs ({@link StatWidget#set}, {@link
 * ChartWidget#point}, {@link TableWidget#upsert} …) and handed to a {@link DashboardIngest}. Values
 * are {@link java.math.BigDecimal}s so that money stays exact to the cent all the way to the page.
 */
@TypeInfo(DashboardUpdateTypeInfo.Factory.class)
public sealed interface DashboardUpdate extends Serializable
        permits StatUpdate, GaugeUpdate, ChartPointUpdate, TableRowUpsert, TableRowDelete {

    String widgetId();

    /** When the change happened, epoch milliseconds (event time for a Flink job). */
    long timestampMs();
}
